/**
 * Who may see an incident: approvers anywhere; anyone else only in the incident's own channel,
 * as a member of it. A membership Slack cannot confirm shows nothing (fail closed).
 */
import { isApprover } from '../domain/action/approval-policy.js';
import type { Incident } from '../domain/incident/incident.js';
import type { AccessRefusal } from '../domain/refusals.js';
import type { ServiceDeps } from './deps.js';
import { findIncident } from './incident-lookup.js';

/** Who asks, and from which channel. */
export interface Viewer {
  readonly userId: string;
  readonly channelId: string;
}

/** Whether a viewer is in a channel, or why that could not be told. */
export type Membership = { readonly kind: 'member' } | { readonly kind: 'not-member' } | { readonly kind: 'unverified'; readonly reason: AccessRefusal };

/**
 * What a `KI-…` or key id names, for this viewer: `hidden` when there is no incident they may
 * see (none at all, for anyone but an approver, reads the same).
 */
export type VisibleLookup =
  | { readonly kind: 'found'; readonly incident: Incident }
  | { readonly kind: 'missing' }
  | { readonly kind: 'hidden' }
  | { readonly kind: 'unverified'; readonly reason: AccessRefusal };

/** Whether `viewer` is a member of the channel they asked from, asked of Slack. */
export async function membership(deps: ServiceDeps, viewer: Viewer): Promise<Membership> {
  try {
    return (await deps.members.isMember(viewer.channelId, viewer.userId)) ? { kind: 'member' } : { kind: 'not-member' };
  } catch (err) {
    const slackError = (err as { code?: unknown }).code;
    deps.log.warn({ channel: viewer.channelId, err: slackError }, 'cannot read channel members');
    return { kind: 'unverified', reason: { code: 'membership-unverified', channelId: viewer.channelId, slackError: typeof slackError === 'string' ? slackError : 'unknown_error' } };
  }
}

/** Whether `userId` is an approver now. */
export async function approver(deps: ServiceDeps, userId: string): Promise<boolean> {
  return isApprover(userId, await deps.approvers.approvers(userId));
}

/** The incident `ref` names, when `viewer` may see it. */
export async function findVisibleIncident(deps: ServiceDeps, ref: string, viewer: Viewer): Promise<VisibleLookup> {
  const [incident, approves] = await Promise.all([findIncident(deps, ref), approver(deps, viewer.userId)]);
  if (approves) return incident ? { kind: 'found', incident } : { kind: 'missing' };
  if (!incident || incident.channelId !== viewer.channelId) return { kind: 'hidden' };
  const member = await membership(deps, viewer);
  if (member.kind === 'unverified') return member;
  return member.kind === 'member' ? { kind: 'found', incident } : { kind: 'hidden' };
}
