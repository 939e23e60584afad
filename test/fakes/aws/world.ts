/**
 * All accounts the fake knows, who is calling, and where a policy ARN leads.
 * IAM calls act on the caller's account, as in AWS: the caller is the seeded user whose key
 * signed the request, or the role session STS issued that key to, or else the bot identity the
 * fake was started with.
 */
import { accountFromKeyId } from './access-key-id.js';
import { CloudTrailState } from './cloudtrail-state.js';
import { awsManagedPolicy, isAwsManagedArn } from './aws-managed-policies.js';
import type { OrganizationState } from './organization-state.js';
import { SecretsState } from './secrets-state.js';
import { SessionState } from './session-state.js';
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
  /** Role sessions AssumeRole issued, by their access key. */
  readonly sessions = new SessionState();
  /** The AWS Organization, once a test seeds one. */
  organization: OrganizationState | undefined;
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

  /** Who signed with `accessKeyId`: a seeded user, a role session AssumeRole issued, else the bot. */
  caller(accessKeyId: string | undefined): Caller {
    if (accessKeyId === undefined) return this.bot;
    const found = this.findKey(accessKeyId);
    if (found) return { account: found.account.id, arn: found.user.arn, userId: found.user.id };
    return this.sessions.byKey(accessKeyId)?.identity ?? this.bot;
  }

  /**
   * The ARN policies name the caller by: its own, except for a role session, which IAM matches
   * by its role's ARN (`arn:aws:iam::<account>:role/<path><name>`).
   */
  principalArn(caller: Caller): string {
    const issued = this.sessions.byArn(caller.arn)?.roleArn;
    if (issued) return issued;
    // A bot started as a role session (`botArn` of an assumed role) is matched the same way.
    const session = /^arn:([\w-]+):sts::(\d{12}):assumed-role\/([^/]+)\/[^/]+$/.exec(caller.arn);
    return session ? `arn:${session[1]}:iam::${session[2]}:role/${session[3]}` : caller.arn;
  }

  findKey(keyId: string) {
    for (const account of this.accounts.values()) {
      const found = account.findKey(keyId);
      if (found) return { account, ...found };
    }
    return undefined;
  }

  /** The account STS names for a key: seeded, issued or registered first, else decoded from the id. */
  accountOfKey(keyId: string): string | undefined {
    return (
      this.findKey(keyId)?.account.id ??
      this.sessions.byKey(keyId)?.identity.account ??
      this.registeredKeys.get(keyId) ??
      accountFromKeyId(keyId)
    );
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
    this.sessions.clear();
    this.organization = undefined;
    this.pageCap = undefined;
    this.account(this.bot.account);
  }
}
