/**
 * Credentials of a role in another account, from `sts:AssumeRole` made with the bot's own
 * credentials. They are kept until five minutes before they expire; callers arriving while
 * AssumeRole is in flight share it; a refusal is thrown to every caller and not kept, so the
 * next call asks again (a role deployed a minute ago works without a restart).
 */
import { AssumeRoleCommand, type STSClient } from '@aws-sdk/client-sts';
import { AwsError } from '../../domain/errors.js';
import { callAws } from '../aws-errors.js';
import type { TemporaryCredentials } from '../aws-clients.js';

/** Session length asked for: the default MaxSessionDuration of a role. */
export const SESSION_SECONDS = 3600;
/** Renew this long before expiry, so no call is signed with credentials about to lapse. */
const RENEW_BEFORE_MS = 5 * 60 * 1000;

export interface AssumeRoleSettings {
  readonly roleArn: string;
  /** Shown in the member account's CloudTrail as the session name. */
  readonly sessionName: string;
  readonly externalId?: string;
  /** Milliseconds since the epoch (tests move it). */
  readonly now?: () => number;
}

export function assumedRoleCredentials(sts: STSClient, settings: AssumeRoleSettings): () => Promise<TemporaryCredentials> {
  const now = settings.now ?? Date.now;
  let current: TemporaryCredentials | undefined;
  let pending: Promise<TemporaryCredentials> | undefined;
  const assume = async (): Promise<TemporaryCredentials> => {
    const output = await callAws('sts', 'AssumeRole', () => sts.send(new AssumeRoleCommand({
      RoleArn: settings.roleArn,
      RoleSessionName: settings.sessionName,
      DurationSeconds: SESSION_SECONDS,
      ...(settings.externalId === undefined ? {} : { ExternalId: settings.externalId }),
    })));
    const c = output.Credentials;
    if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken || !c.Expiration) {
      throw new AwsError('MissingCredentials', `AssumeRole on ${settings.roleArn} returned no credentials`, 'sts', 'AssumeRole');
    }
    return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, expiration: c.Expiration };
  };
  return () => {
    if (current && current.expiration.getTime() - RENEW_BEFORE_MS > now()) return Promise.resolve(current);
    pending ??= assume().then(
      (fresh) => { current = fresh; pending = undefined; return fresh; },
      (err: unknown) => { pending = undefined; throw err; },
    );
    return pending;
  };
}
