import type { CallerIdentity, StsReader } from '../../../src/ports/sts-reader.js';
import { Faults } from './faults.js';

/** `StsReader` in memory: every key belongs to the bot's account unless `keyAccounts` says otherwise. */
export class MemoryStsReader implements StsReader {
  readonly faults = new Faults<keyof StsReader & string>();
  readonly keyAccounts = new Map<string, string>();

  constructor(
    readonly botAccountId = '111122223333',
    readonly botArn = `arn:aws:sts::${botAccountId}:assumed-role/key-incident/bot`,
  ) {}

  async getAccessKeyAccount(keyId: string): Promise<string> {
    await this.faults.enter('getAccessKeyAccount', [keyId]);
    return this.keyAccounts.get(keyId) ?? this.botAccountId;
  }

  async getCallerIdentity(): Promise<CallerIdentity> {
    await this.faults.enter('getCallerIdentity');
    return { account: this.botAccountId, arn: this.botArn };
  }
}
