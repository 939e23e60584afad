/**
 * The assessment's AWS reads as a dependency graph: each read starts as soon as what it needs
 * is known, so reads that do not depend on each other run at the same time.
 *
 *   long-term key  STS account + caller identity → Organizations, member-account role → account
 *                  key's last use → the user's keys                                    → owner
 *                                 → the user's policies (lists and documents at once)   → permissions
 *   temporary key  account as above → CloudTrail: whose session → the user's policies
 *
 * IAM reads in the key's account: the bot's own, or another through its member-account role.
 * The key's last use is asked at once when the key id names the bot's own account; otherwise
 * once STS has said which account it is. Nothing here records or shows anything.
 */
import { accountInKeyId, isTemporaryKey } from '../domain/access-key.js';
import { type AccountFinding, actingAccount, canActIn } from '../domain/assessment/assessment.js';
import type { Incident } from '../domain/incident/incident.js';
import type { CallerIdentity } from '../ports/sts-reader.js';
import { inAccount, reachAccount } from './account-scope.js';
import type { ServiceDeps } from './deps.js';
import { findSession } from './find-session.js';
import { accountResult, type KeyUse, ownerResult, readPermissions, sessionResult, settle, type StageResult } from './key-findings.js';

export interface KeyReads {
  /** One result per stage, in the order they are recorded; undefined: not read. */
  readonly stages: readonly Promise<StageResult | undefined>[];
  /** Settles once every read has, whatever came of it. */
  readonly settled: Promise<void>;
}

/** The ports reading the key's account, undefined when it is out of reach. */
type Scope = Promise<ServiceDeps | undefined>;

/** Starts every read of the key's assessment. */
export function readKey(deps: ServiceDeps, incident: Incident): KeyReads {
  const identity = Promise.all([deps.sts.getAccessKeyAccount(incident.keyId), deps.sts.getCallerIdentity()]);
  const finding = identity.then(([accountId, bot]) => readAccount(deps, accountId, bot));
  const scope = identity.then(
    // The bot's own account needs no role: its reads need not wait for Organizations.
    ([accountId, bot]) => (accountId === bot.account ? deps : finding.then((f) => (canActIn(f) ? inAccount(deps, actingAccount(f)) : undefined))),
    // STS could not say whose key it is: read in the bot's account, as for its own keys.
    () => deps,
  );
  const later = isTemporaryKey(incident.keyId) ? temporaryKeyReads(incident, scope) : longTermKeyReads(deps, incident.keyId, scope);
  const stages = [settle('account', finding.then(accountResult)), ...later];
  // A read nobody waits for any more (the assessment stopped, the root was not posted) is not left unhandled.
  return { stages, settled: Promise.allSettled(stages).then(() => undefined) };
}

/** The key's account; another one is assumed only once it is known to be the organization's or allowed. */
async function readAccount(deps: ServiceDeps, accountId: string, bot: CallerIdentity): Promise<AccountFinding> {
  const sameAccount = accountId === bot.account;
  const answer = await deps.organizations.describeAccount(accountId);
  const organization = answer.kind === 'known' ? answer.finding : undefined;
  const reached = sameAccount ? undefined : await reachAccount(deps, accountId, answer);
  return {
    accountId,
    botAccountId: bot.account,
    ...(bot.arn ? { botArn: bot.arn } : {}),
    sameAccount,
    ...(reached ? { reach: reached } : {}),
    ...(organization ? { organization } : {}),
  };
}

function longTermKeyReads(deps: ServiceDeps, keyId: string, scope: Scope): Promise<StageResult | undefined>[] {
  const early = deps.sts.getCallerIdentity().then((bot) => (accountInKeyId(keyId) === bot.account ? handled(deps.iam.getAccessKeyLastUsed(keyId)) : undefined), () => undefined);
  const keyUse = scope.then(async (scoped): Promise<{ scoped: ServiceDeps; use: KeyUse } | undefined> => {
    if (!scoped) return undefined;
    // The early answer counts only when STS agrees the key is the bot's own.
    const guess = scoped === deps ? await early : undefined;
    return { scoped, use: await (guess?.read ?? scoped.iam.getAccessKeyLastUsed(keyId)) };
  });
  return [
    settle('owner', keyUse.then(async (k) => k && ownerResult(keyId, k.use, await k.scoped.iam.listAccessKeys(k.use.userName)))),
    settle('permissions', keyUse.then((k) => k && readPermissions(k.scoped, k.use.userName))),
  ];
}

function temporaryKeyReads(incident: Incident, scope: Scope): Promise<StageResult | undefined>[] {
  // IAM knows nothing of a temporary key: CloudTrail names its session, then the user's access is read.
  const session = scope.then(async (scoped) => scoped && { scoped, session: await findSession(scoped, incident) });
  return [
    settle('session', session.then((s) => s && sessionResult(s.session))),
    // A role session has no user whose permissions to read.
    settle('permissions', session.then((s) => (s?.session.kind === 'user' && s.session.userName ? readPermissions(s.scoped, s.session.userName) : undefined))),
  ];
}

/** A read that may end up unused: its failure is kept for whoever awaits it, never left unhandled. */
function handled<T>(read: Promise<T>): { read: Promise<T> } {
  read.catch(() => undefined);
  return { read };
}
