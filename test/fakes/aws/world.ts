/**
 * All accounts the fake knows, who is calling, and where a policy ARN leads.
 * IAM calls act on the caller's account, as in AWS: the caller is the seeded user whose key
 * signed the request, or else the bot identity the fake was started with.
 */
import { accountFromKeyId } from './access-key-id.js';
import { CloudTrailState } from './cloudtrail-state.js';
import { awsManagedPolicy, isAwsManagedArn } from './aws-managed-policies.js';
import { SecretsState } from './secrets-state.js';
import { AccountState, uniqueId, type ManagedPolicyState } from './state.js';

export interface Caller {
  readonly account: string;
  readonly arn: string;
  readonly userId: string;
}

export interface BotIdentity {
  readonly account: string;
  /** Defaults to `arn:aws:iam::<account>:user/key-incident-bot`. */
  readonly arn?: string;
}

export class FakeAwsWorld {
  readonly accounts = new Map<string, AccountState>();
  /** Keys registered only for STS, with the account they belong to. */
  readonly registeredKeys = new Map<string, string>();
  /** Secrets Manager, all accounts and regions. */
  readonly secrets = new SecretsState();
  /** CloudTrail event history, all accounts and Regions. */
  readonly cloudTrail = new CloudTrailState();
  readonly bot: Caller;
  /** When set, list pages hold at most this many items even if MaxItems allows more. */
  pageCap: number | undefined;

  constructor(bot: BotIdentity) {
    const arn = bot.arn ?? `arn:aws:iam::${bot.account}:user/key-incident-bot`;
    this.bot = { account: bot.account, arn, userId: uniqueId('AIDA', arn) };
    this.account(bot.account);
  }

  /** The account with this id, created empty on first use. */
  account(id: string): AccountState {
    let account = this.accounts.get(id);
    if (!account) {
      account = new AccountState(id);
      this.accounts.set(id, account);
    }
    return account;
  }

  /** Who signed with `accessKeyId`: a seeded user when the key is seeded, else the bot. */
  caller(accessKeyId: string | undefined): Caller {
    const found = accessKeyId === undefined ? undefined : this.findKey(accessKeyId);
    if (!found) return this.bot;
    return { account: found.account.id, arn: found.user.arn, userId: found.user.id };
  }

  findKey(keyId: string) {
    for (const account of this.accounts.values()) {
      const found = account.findKey(keyId);
      if (found) return { account, ...found };
    }
    return undefined;
  }

  /** The account STS names for a key: seeded or registered first, else decoded from the id. */
  accountOfKey(keyId: string): string | undefined {
    return this.findKey(keyId)?.account.id ?? this.registeredKeys.get(keyId) ?? accountFromKeyId(keyId);
  }

  /** A customer managed policy of `account`, or an AWS managed one; undefined if neither. */
  async policy(account: AccountState, arn: string): Promise<ManagedPolicyState | undefined> {
    if (isAwsManagedArn(arn)) return awsManagedPolicy(arn);
    return account.policies.get(arn);
  }

  reset(): void {
    this.accounts.clear();
    this.registeredKeys.clear();
    this.secrets.clear();
    this.cloudTrail.clear();
    this.pageCap = undefined;
    this.account(this.bot.account);
  }
}
