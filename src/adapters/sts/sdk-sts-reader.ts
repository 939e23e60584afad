/**
 * `StsReader` over the AWS SDK.
 */
import { GetAccessKeyInfoCommand, GetCallerIdentityCommand, type STSClient } from '@aws-sdk/client-sts';
import { AwsError } from '../../domain/errors.js';
import type { CallerIdentity, StsReader } from '../../ports/sts-reader.js';
import { callAws } from '../aws-errors.js';

const SERVICE = 'sts';

export class SdkStsReader implements StsReader {
  /** The bot's identity never changes for a process; a failed lookup is not kept. */
  private caller: Promise<CallerIdentity> | undefined;

  constructor(private readonly sts: STSClient) {}

  async getAccessKeyAccount(keyId: string): Promise<string> {
    const output = await callAws(SERVICE, 'GetAccessKeyInfo', () =>
      this.sts.send(new GetAccessKeyInfoCommand({ AccessKeyId: keyId })),
    );
    return requireAccount(output.Account, 'GetAccessKeyInfo');
  }

  getCallerIdentity(): Promise<CallerIdentity> {
    this.caller ??= this.fetchCallerIdentity().catch((error: unknown) => {
      this.caller = undefined;
      throw error;
    });
    return this.caller;
  }

  private async fetchCallerIdentity(): Promise<CallerIdentity> {
    const output = await callAws(SERVICE, 'GetCallerIdentity', () => this.sts.send(new GetCallerIdentityCommand({})));
    return { account: requireAccount(output.Account, 'GetCallerIdentity'), arn: output.Arn ?? '' };
  }
}

function requireAccount(account: string | undefined, operation: string): string {
  if (!account) throw new AwsError('MissingAccount', `STS ${operation} returned no account`, SERVICE, operation);
  return account;
}
