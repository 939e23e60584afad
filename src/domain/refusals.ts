/**
 * Why a request was refused, as a code with the facts that explain it. Services return these;
 * the Slack views own the sentences that say them.
 */
import type { IncidentNotActive, NotAnApprover } from './action/approval-policy.js';
import type { ActionKind } from './action/kinds.js';
import type { ActionStatus } from './action/lifecycle.js';
import type { IncidentStatus } from './incident/incident.js';

export type { IncidentNotActive, NotAnApprover } from './action/approval-policy.js';

/** An incident's status cannot change as asked. */
export type StatusRefusal =
  | NotAnApprover
  /** `from` → `to` is not a transition of the incident lifecycle. */
  | { readonly code: 'status-transition'; readonly incidentId: string; readonly from: IncidentStatus; readonly to: IncidentStatus }
  /** Reopening would give the key a second open incident. */
  | { readonly code: 'another-open-incident'; readonly keyId: string; readonly existingIncidentId: string };

/** An action cannot be proposed. */
export type ProposeRefusal =
  /** The incident is resolved: nothing more is proposed until it is reopened. */
  | IncidentNotActive
  /** A temporary key (ASIA…) has no IAM key to disable or delete. */
  | { readonly code: 'temporary-key' }
  /** The key's account is another one the bot cannot act in; `notAllowed`: not its organization's, nor in ALLOWED_ACCOUNT_IDS. */
  | { readonly code: 'account-out-of-reach'; readonly incidentId: string; readonly accountId: string | undefined; readonly notAllowed?: boolean }
  /** The key's account is not known (a failed account stage, an assessment running again): nothing lands in the bot's own by default. */
  | { readonly code: 'account-unknown'; readonly incidentId: string }
  /** No target was given and the key's owner is not known. */
  | { readonly code: 'owner-unknown'; readonly kind: ActionKind }
  /** The action has no reverse. */
  | { readonly code: 'cannot-undo'; readonly kind: ActionKind }
  /** The incident's menu does not offer that kind (a forged or stale payload). */
  | { readonly code: 'not-on-menu'; readonly incidentId: string }
  /** Undo of an action that did not succeed, or "Propose again" of one that was denied or is not over. */
  | { readonly code: 'follow-up-not-offered'; readonly mode: 'undo' | 'again'; readonly kind: ActionKind; readonly status: ActionStatus };

/** The timeline cannot be exported. */
export type ExportRefusal =
  /** Neither an approver nor someone who took part. */
  | { readonly code: 'not-a-participant'; readonly incidentId: string }
  /** The incident has no root message to attach the file to. */
  | { readonly code: 'no-thread'; readonly incidentId: string }
  | AccessRefusal;

/** Whether someone may see an incident could not be checked: nothing is shown (fail closed). */
export type AccessRefusal =
  /** Slack did not answer who is in the channel (`slackError`: its error code). */
  { readonly code: 'membership-unverified'; readonly channelId: string; readonly slackError: string };

export type Refusal = StatusRefusal | ProposeRefusal | ExportRefusal | AccessRefusal;
