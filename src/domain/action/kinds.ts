/** The containment actions the bot can propose, what they do, and who must approve them. */

export const ActionKind = {
  DisableKey: 'disable-key',
  EnableKey: 'enable-key',
  RevokeSessions: 'revoke-sessions',
  LiftSessionRevocation: 'lift-session-revocation',
  RevokeRoleSessions: 'revoke-role-sessions',
  LiftRoleSessionRevocation: 'lift-role-session-revocation',
  AttachQuarantine: 'attach-quarantine',
  DetachQuarantine: 'detach-quarantine',
  CreateReplacementKey: 'create-replacement-key',
  DeleteKey: 'delete-key',
  DeleteUser: 'delete-user',
  DeleteLoginProfile: 'delete-login-profile',
  DetachUserPolicy: 'detach-user-policy',
  DeleteUserPolicy: 'delete-user-policy',
  DeleteRolePolicy: 'delete-role-policy',
  DetachRolePolicy: 'detach-role-policy',
} as const;
export type ActionKind = (typeof ActionKind)[keyof typeof ActionKind];

/** The inline policy that cuts sessions issued before a moment (AWS's "revoke sessions"). */
export const REVOKE_POLICY_NAME = 'KeyIncidentRevokeOlderSessions';
/** The role policy AWS's console writes for "Revoke active sessions" on a role. */
export const ROLE_REVOKE_POLICY_NAME = 'AWSRevokeOlderSessions';
export const QUARANTINE_POLICY_ARN = 'arn:aws:iam::aws:policy/AWSCompromisedKeyQuarantineV3';

export interface ActionTarget {
  /** The IAM user acted on; for role actions, the exposed key's owner (for context). */
  readonly userName: string;
  /** The access key acted on (key actions). */
  readonly keyId?: string;
  /** The role acted on (role actions). */
  readonly roleName?: string;
  /** A managed policy to detach (policy cleanups). */
  readonly policyArn?: string;
  /** An inline policy to delete (policy cleanups). */
  readonly policyName?: string;
  /** Another account, acted in through its member-account role; absent for the bot's own. */
  readonly account?: string;
}

export interface ActionSpec {
  /** Button-sized name: "Disable access key". */
  readonly title: string;
  /** What happens, in one plain sentence. */
  readonly effect: string;
  readonly approvalsRequired: 1 | 2;
  /** Cannot be undone: two distinct approvers and a confirm dialog. */
  readonly destructive: boolean;
  /** The action that undoes this one, when there is one. */
  readonly undo?: ActionKind;
  /** What it changes: the access key, the key's IAM user, or a role the key reached. */
  readonly on: 'key' | 'user' | 'role';
}

export const ACTIONS: Readonly<Record<ActionKind, ActionSpec>> = {
  [ActionKind.DisableKey]: {
    title: 'Disable access key',
    effect: 'The key stops working at once. Reversible: it can be re-enabled.',
    approvalsRequired: 1, destructive: false, undo: ActionKind.EnableKey, on: 'key',
  },
  [ActionKind.EnableKey]: {
    title: 'Re-enable access key',
    effect: 'The key works again, for whoever holds it.',
    // It re-opens the door the incident closed: two people decide.
    approvalsRequired: 2, destructive: false, undo: ActionKind.DisableKey, on: 'key',
  },
  [ActionKind.RevokeSessions]: {
    title: 'Revoke active sessions',
    effect: `Temporary credentials the user obtained before now stop working (inline policy ${REVOKE_POLICY_NAME}). Running it again moves the cut-off to the new time.`,
    approvalsRequired: 1, destructive: false, undo: ActionKind.LiftSessionRevocation, on: 'user',
  },
  [ActionKind.LiftSessionRevocation]: {
    title: 'Lift session revocation',
    effect: `Removes ${REVOKE_POLICY_NAME}: sessions issued before the cut-off work again until they expire.`,
    approvalsRequired: 1, destructive: false, undo: ActionKind.RevokeSessions, on: 'user',
  },
  [ActionKind.RevokeRoleSessions]: {
    title: 'Revoke sessions of role',
    effect: `Every session of the role issued before now stops working (inline policy ${ROLE_REVOKE_POLICY_NAME}), including legitimate ones: services and people using the role must assume it again.`,
    approvalsRequired: 1, destructive: false, undo: ActionKind.LiftRoleSessionRevocation, on: 'role',
  },
  [ActionKind.LiftRoleSessionRevocation]: {
    title: 'Lift role session revocation',
    effect: `Removes ${ROLE_REVOKE_POLICY_NAME} from the role: sessions issued before the cut-off work again until they expire.`,
    approvalsRequired: 1, destructive: false, undo: ActionKind.RevokeRoleSessions, on: 'role',
  },
  [ActionKind.AttachQuarantine]: {
    title: 'Attach quarantine policy',
    effect: 'Attaches AWSCompromisedKeyQuarantineV3, which denies the actions attackers use most, to the user.',
    approvalsRequired: 1, destructive: false, undo: ActionKind.DetachQuarantine, on: 'user',
  },
  [ActionKind.DetachQuarantine]: {
    title: 'Detach quarantine policy',
    effect: 'Removes AWSCompromisedKeyQuarantineV3 from the user.',
    approvalsRequired: 1, destructive: false, undo: ActionKind.AttachQuarantine, on: 'user',
  },
  [ActionKind.CreateReplacementKey]: {
    title: 'Create replacement key',
    effect: 'Creates a new access key for the user; its secret goes straight to AWS Secrets Manager and only the secret’s ARN is shown.',
    approvalsRequired: 1, destructive: false, undo: ActionKind.DeleteKey, on: 'user',
  },
  [ActionKind.DeleteKey]: {
    title: 'Delete access key',
    effect: 'Deletes the key for good. Cannot be undone.',
    approvalsRequired: 2, destructive: true, on: 'key',
  },
  [ActionKind.DeleteLoginProfile]: {
    title: 'Delete console password',
    effect: 'Deletes the user’s login profile, so nobody can sign in to the console as this user. Cannot be undone (a new password would have to be set).',
    approvalsRequired: 2, destructive: true, on: 'user',
  },
  [ActionKind.DetachUserPolicy]: {
    title: 'Detach policy from user',
    effect: 'Detaches the managed policy from the user; the policy itself stays and can be attached again.',
    // One when the reviewed key made the attachment's role, user or policy (`approvalsFor`).
    approvalsRequired: 2, destructive: false, on: 'user',
  },
  [ActionKind.DeleteUserPolicy]: {
    title: 'Delete inline policy of user',
    effect: 'Deletes the inline policy from the user, after recording its document in the timeline. Cannot be undone.',
    approvalsRequired: 2, destructive: true, on: 'user',
  },
  [ActionKind.DetachRolePolicy]: {
    title: 'Detach policy from role',
    effect: 'Detaches the managed policy from the role; the policy itself stays and can be attached again.',
    // One when the reviewed key made the attachment's role, user or policy (`approvalsFor`).
    approvalsRequired: 2, destructive: false, on: 'role',
  },
  [ActionKind.DeleteRolePolicy]: {
    title: 'Delete inline policy of role',
    effect: 'Deletes the inline policy from the role, after recording its document in the timeline. Cannot be undone.',
    approvalsRequired: 2, destructive: true, on: 'role',
  },
  [ActionKind.DeleteUser]: {
    title: 'Delete IAM user',
    effect: 'Removes everything the user has (login, keys, certificates, SSH keys, MFA, policies, groups), recorded first, then deletes the user. Cannot be undone.',
    approvalsRequired: 2, destructive: true, on: 'user',
  },
};

/** Kinds offered in the "More actions" menu, in menu order. */
export const MENU_KINDS: readonly ActionKind[] = [
  ActionKind.DisableKey,
  ActionKind.RevokeSessions,
  ActionKind.AttachQuarantine,
  ActionKind.CreateReplacementKey,
  ActionKind.DeleteKey,
  ActionKind.DeleteUser,
];

export function isActionKind(value: string): value is ActionKind {
  return Object.values(ActionKind).includes(value as ActionKind);
}

/** Identifies "the same action" for the one-pending-proposal rule. */
export function actionSubject(kind: ActionKind, target: ActionTarget): string {
  const extra = [target.roleName, target.policyArn, target.policyName].filter((x) => x !== undefined).map((x) => `#${x}`).join('');
  return `${kind}#${target.userName}#${target.keyId ?? '-'}${extra}`;
}

/** The key for key actions, the user for user actions: what the action changes. */
export function targetName(kind: ActionKind, target: ActionTarget): string {
  const on = ACTIONS[kind].on;
  if (on === 'role' && target.roleName) return target.roleName;
  return on === 'key' && target.keyId ? target.keyId : target.userName;
}

/** A role's name from its ARN (`arn:aws:iam::1111:role/path/name` → `name`) and its account. */
export function roleOfArn(arn: string): { account: string; roleName: string } | undefined {
  const m = /^arn:aws[a-z-]*:iam::(\d{12}):role\/(?:[\w+=,.@\/-]*\/)?([\w+=,.@-]{1,64})$/.exec(arn);
  return m ? { account: m[1]!, roleName: m[2]! } : undefined;
}
