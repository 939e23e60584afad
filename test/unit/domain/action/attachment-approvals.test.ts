import { describe, expect, it } from 'vitest';
import { approvalsFor } from '../../../../src/domain/action/approval-policy.js';
import { type AttachmentOrigin, AGE_UNKNOWN, attachmentOrigin, type CreatedByKey } from '../../../../src/domain/action/attachment-origin.js';
import { ActionKind, type ActionTarget } from '../../../../src/domain/action/kinds.js';
import { approve, propose } from '../../../../src/domain/action/lifecycle.js';

const T0 = new Date('2026-11-29T03:00:00Z');
const POLICY = 'arn:aws:iam::111122223333:policy/exfil';
const PROD = 'arn:aws:iam::aws:policy/AmazonS3FullAccess';
const onRole: ActionTarget = { userName: 'ci-deployer', roleName: 'prod-app', policyArn: PROD };
const onUser: ActionTarget = { userName: 'backup-admin', policyArn: PROD };
const made = (id: string) => ({ eventId: id, eventTime: '2026-11-29T02:50:00Z' });
const none: CreatedByKey = { roles: new Map(), users: new Map(), policies: new Map() };

function created(parts: Partial<CreatedByKey>): CreatedByKey {
  return { ...none, ...parts };
}

function proposal(kind: ActionKind, target: ActionTarget, attachment?: AttachmentOrigin) {
  return propose({ incidentId: 'KI-ABC123', id: 'A1', kind, target, proposedBy: 'bot', ...(attachment ? { attachment } : {}) }, T0).action;
}

describe('removing a policy attachment', () => {
  it('needs two approvers when nothing shows who attached it: IAM keeps no attachment date', () => {
    for (const [kind, target] of [[ActionKind.DetachRolePolicy, onRole], [ActionKind.DetachUserPolicy, onUser]] as const) {
      const a = proposal(kind, target);
      expect(a).toMatchObject({ approvalsRequired: 2, attachment: AGE_UNKNOWN });
      const first = approve(a, 'U0A', T0);
      expect(first.execute).toBe(false);
      expect(approve(first.action, 'U0B', T0).execute).toBe(true);
    }
  });

  it('needs one approver when the reviewed key created the role the policy is attached to', () => {
    const origin = attachmentOrigin(ActionKind.DetachRolePolicy, onRole, created({ roles: new Map([['prod-app', made('e-1')]]) }));
    expect(origin).toEqual({ known: 'created-by-key', entity: 'role', name: 'prod-app', eventId: 'e-1', eventTime: '2026-11-29T02:50:00Z' });
    const a = proposal(ActionKind.DetachRolePolicy, onRole, origin);
    expect(a.approvalsRequired).toBe(1);
    expect(approve(a, 'U0A', T0).execute).toBe(true);
  });

  it('needs one approver when the reviewed key created the user, or the customer managed policy itself', () => {
    const byUser = attachmentOrigin(ActionKind.DetachUserPolicy, onUser, created({ users: new Map([['backup-admin', made('e-2')]]) }));
    expect(proposal(ActionKind.DetachUserPolicy, onUser, byUser).approvalsRequired).toBe(1);
    const target = { ...onRole, policyArn: POLICY };
    const byPolicy = attachmentOrigin(ActionKind.DetachRolePolicy, target, created({ policies: new Map([[POLICY, made('e-3')]]) }));
    expect(byPolicy).toMatchObject({ known: 'created-by-key', entity: 'policy', name: POLICY });
    expect(proposal(ActionKind.DetachRolePolicy, target, byPolicy).approvalsRequired).toBe(1);
  });

  it('takes no evidence about another role, user or policy than the one the proposal detaches', () => {
    const otherRole = created({ roles: new Map([['Prod-App', made('e-1')], ['evil', made('e-2')]]), users: new Map([['ci-deployer', made('e-3')]]), policies: new Map([[POLICY, made('e-4')]]) });
    expect(attachmentOrigin(ActionKind.DetachRolePolicy, onRole, otherRole)).toEqual(AGE_UNKNOWN);
    // Evidence stored for one target does not lower the quorum of another.
    const forged: AttachmentOrigin = { known: 'created-by-key', entity: 'role', name: 'evil', eventId: 'e-2', eventTime: T0.toISOString() };
    expect(proposal(ActionKind.DetachRolePolicy, onRole, forged)).toMatchObject({ approvalsRequired: 2, attachment: AGE_UNKNOWN });
    const userOnRole: AttachmentOrigin = { known: 'created-by-key', entity: 'user', name: 'ci-deployer', eventId: 'e-3', eventTime: T0.toISOString() };
    expect(approvalsFor(ActionKind.DetachRolePolicy, onRole, userOnRole)).toEqual({ approvalsRequired: 2, attachment: AGE_UNKNOWN });
  });

  it('leaves every other kind at the catalogue’s quorum, with no attachment to speak of', () => {
    expect(approvalsFor(ActionKind.DisableKey, { userName: 'u', keyId: 'AKIAIOSFODNN7EXAMPLE' })).toEqual({ approvalsRequired: 1 });
    expect(approvalsFor(ActionKind.DeleteKey, { userName: 'u', keyId: 'AKIAIOSFODNN7EXAMPLE' })).toEqual({ approvalsRequired: 2 });
    expect(approvalsFor(ActionKind.DeleteRolePolicy, { ...onRole, policyName: 'p' })).toEqual({ approvalsRequired: 2 });
    // The quarantine policy is detached only as the undo of the bot's own attachment.
    expect(approvalsFor(ActionKind.DetachQuarantine, { userName: 'u' })).toEqual({ approvalsRequired: 1 });
    expect(attachmentOrigin(ActionKind.DeleteKey, onUser, created({ users: new Map([['backup-admin', made('e')]]) }))).toBeUndefined();
  });
});
