/**
 * Role sessions STS issued with AssumeRole. A request signed with a session's `ASIA…` key is
 * made by that session: in the role's account, as `arn:aws:sts::<account>:assumed-role/<role>/<session>`.
 * The secret key and session token are handed to the client once and never kept, so they can
 * show up in no call log or assertion.
 */
import type { Caller } from './world.js';

export interface RoleSession {
  readonly accessKeyId: string;
  readonly roleArn: string;
  readonly sessionName: string;
  readonly externalId: string | undefined;
  /** Who called AssumeRole. */
  readonly callerArn: string;
  readonly expiration: Date;
  /** Who requests signed with `accessKeyId` are. */
  readonly identity: Caller;
}

export class SessionState {
  private readonly byKeyId = new Map<string, RoleSession>();

  add(session: RoleSession): void {
    this.byKeyId.set(session.accessKeyId, session);
  }

  byKey(accessKeyId: string): RoleSession | undefined {
    return this.byKeyId.get(accessKeyId);
  }

  /** The session whose identity has this ARN (any of them: they share the role). */
  byArn(arn: string): RoleSession | undefined {
    return this.all().find((s) => s.identity.arn === arn);
  }

  /** Oldest first. */
  all(): RoleSession[] {
    return [...this.byKeyId.values()];
  }

  clear(): void {
    this.byKeyId.clear();
  }
}
