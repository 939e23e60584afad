/**
 * The AWS SDK clients the bot uses, created once at startup and injected into adapters.
 * Credentials and endpoint overrides (`AWS_ENDPOINT_URL_IAM`, `AWS_ENDPOINT_URL_STS`,
 * `AWS_ENDPOINT_URL_SECRETS_MANAGER`, `AWS_ENDPOINT_URL_CLOUDTRAIL`) come from the SDK's
 * standard configuration chain.
 */
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { IAMClient } from '@aws-sdk/client-iam';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { STSClient } from '@aws-sdk/client-sts';

/** Temporary credentials as the SDK takes them from a provider. */
export interface TemporaryCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
  readonly expiration: Date;
}

export interface AwsClientSettings {
  readonly region: string;
  /** Attempts per call, first one included; the SDK's standard retry backs off between them. */
  readonly maxAttempts: number;
  /** Where credentials come from; the SDK's standard chain when absent. */
  readonly credentials?: () => Promise<TemporaryCredentials>;
}

/**
 * How long an IAM change may take before it is abandoned: below the default attempt lease
 * (15 s), so a change either lands or is given up while its attempt still holds the action.
 */
export const IAM_CHANGE_TIMEOUT_MS = 10_000;

export interface AwsClients {
  /** IAM reads, retried by the SDK. */
  readonly iam: IAMClient;
  /**
   * IAM changes: ONE attempt per call, with a request timeout. Each change is fenced right
   * before it goes out and an SDK retry would go out unfenced; `CreateAccessKey` is not
   * idempotent at all. Retries of changes are the executor's, fenced again (`attempt-lease.ts`).
   */
  readonly iamChanges: IAMClient;
  readonly sts: STSClient;
  readonly secretsManager: SecretsManagerClient;
  /**
   * The CloudTrail client of a Region, made on first use and kept. It makes ONE attempt per
   * call whatever `maxAttempts` says: `SdkCloudTrailReader` paces LookupEvents and retries
   * itself, and SDK retries would bypass its pacing.
   */
  readonly cloudTrailFor: (region: string) => CloudTrailClient;
}

/** IAM, STS and Secrets Manager clients using the SDK's standard retry mode; CloudTrail per Region. */
export function createAwsClients({ region, maxAttempts, credentials }: AwsClientSettings): AwsClients {
  const auth = credentials ? { credentials } : {};
  const common = { region, maxAttempts, retryMode: 'standard', ...auth } as const;
  const cloudTrail = new Map<string, CloudTrailClient>();
  const cloudTrailFor = (trailRegion: string): CloudTrailClient => {
    let client = cloudTrail.get(trailRegion);
    if (!client) {
      client = new CloudTrailClient({ region: trailRegion, maxAttempts: 1, ...auth });
      cloudTrail.set(trailRegion, client);
    }
    return client;
  };
  const clients: AwsClients = {
    iam: new IAMClient(common),
    iamChanges: new IAMClient({ ...common, maxAttempts: 1, requestHandler: { requestTimeout: IAM_CHANGE_TIMEOUT_MS } }),
    sts: new STSClient(common),
    secretsManager: new SecretsManagerClient(common),
    cloudTrailFor,
  };
  cloudTrailClients.set(clients, cloudTrail);
  return clients;
}

/** The CloudTrail clients `createAwsClients` made, by the clients they belong to, for `destroyAwsClients`. */
const cloudTrailClients = new WeakMap<AwsClients, Map<string, CloudTrailClient>>();

/** Closes every client's connections (sockets of calls in flight included). */
export function destroyAwsClients(clients: AwsClients): void {
  clients.iam.destroy();
  clients.iamChanges.destroy();
  clients.sts.destroy();
  clients.secretsManager.destroy();
  const cloudTrail = cloudTrailClients.get(clients);
  for (const client of cloudTrail?.values() ?? []) client.destroy();
  cloudTrail?.clear();
}
