/** The ports of one account, over one set of SDK clients. */
import type { AccountPorts } from '../../ports/account-gateway.js';
import type { AwsClients } from '../aws-clients.js';
import type { LookupPacer } from '../cloudtrail/lookup-pacer.js';
import { SdkCloudTrailReader } from '../cloudtrail/sdk-cloudtrail-reader.js';
import { SdkIamReader } from '../iam/sdk-iam-reader.js';
import { SdkIamWriter } from '../iam/sdk-iam-writer.js';
import { SdkSecretStore } from '../secrets/sdk-secret-store.js';

/**
 * IAM (reads on a retrying client, changes on a one-attempt one), Secrets Manager and CloudTrail ports over `clients`. CloudTrail's LookupEvents limit is
 * per account and Region, so another account gets its own pacer; the bot's account uses the
 * process-wide one (`pacer` absent).
 */
export function accountPorts(clients: AwsClients, pacer?: LookupPacer): AccountPorts {
  return {
    iam: new SdkIamReader(clients.iam),
    iamWriter: new SdkIamWriter(clients.iamChanges),
    secrets: new SdkSecretStore(clients.secretsManager),
    trail: new SdkCloudTrailReader(clients.cloudTrailFor, pacer ? { pacer } : {}),
  };
}
