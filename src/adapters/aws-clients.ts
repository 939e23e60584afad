/**
 * The AWS SDK clients the bot uses, created once at startup and injected into adapters.
 * Credentials and endpoint overrides (`AWS_ENDPOINT_URL_IAM`, `AWS_ENDPOINT_URL_STS`,
 * `AWS_ENDPOINT_URL_SECRETS_MANAGER`) come from the SDK's standard configuration chain.
 */
import { IAMClient } from '@aws-sdk/client-iam';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { STSClient } from '@aws-sdk/client-sts';

export interface AwsClientSettings {
  readonly region: string;
  /** Attempts per call, first one included; the SDK's standard retry backs off between them. */
  readonly maxAttempts: number;
}

export interface AwsClients {
  readonly iam: IAMClient;
  readonly sts: STSClient;
  readonly secretsManager: SecretsManagerClient;
}

/** IAM, STS and Secrets Manager clients using the SDK's standard retry mode. */
export function createAwsClients({ region, maxAttempts }: AwsClientSettings): AwsClients {
  const common = { region, maxAttempts, retryMode: 'standard' } as const;
  return { iam: new IAMClient(common), sts: new STSClient(common), secretsManager: new SecretsManagerClient(common) };
}

/** Closes every client's connections (sockets of calls in flight included). */
export function destroyAwsClients(clients: AwsClients): void {
  clients.iam.destroy();
  clients.sts.destroy();
  clients.secretsManager.destroy();
}
