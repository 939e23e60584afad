/**
 * `StsReader` over the AWS SDK.
 */
import { GetAccessKeyInfoCommand, GetCallerIdentityCommand, type STSClient } from '@aws-sdk/client-sts';
import { AwsError } from '../../domain/errors.js';
import type { StsReader } from '../../ports.js';
import { callAws } from '../aws-errors.js';

const SERVICE = 'sts';

export class SdkStsReader implements StsReader {
  /** The bot's account never changes for a process; a failed lookup is not kept. */
  private callerAccount: Promise<string> | undefined;

  constructor(private readonly sts: STSClient) {}

  async getAccessKeyAccount(keyId: string): Promise<string> {
    const output = await callAws(SERVICE, 'GetAccessKeyInfo', () =>
      this.sts.send(new GetAccessKeyInfoCommand({ AccessKeyId: keyId })),
    );
    return requireAccount(output.Account, 'GetAccessKeyInfo');
  }

  getCallerAccount(): Promise<string> {
    this.callerAccount ??= this.fetchCallerAccount().catch((error: unknown) => {
      this.callerAccount = undefined;
      throw error;
    });
    return this.callerAccount;
  }

  private async fetchCallerAccount(): Promise<string> {
    const output = await callAws(SERVICE, 'GetCallerIdentity', () => this.sts.send(new GetCallerIdentityCommand({})));
    return requireAccount(output.Account, 'GetCallerIdentity');
  }
}

function requireAccount(account: string | undefined, operation: string): string {
  if (!account) throw new AwsError('MissingAccount', `STS ${operation} returned no account`, SERVICE, operation);
  return account;
}
