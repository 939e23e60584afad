/** What an incident lets people act on: the default target, the menu's kinds, the key's state after actions. Pure. */
import { isTemporaryKey } from '../access-key.js';
import { ACTIONS, ActionKind, type ActionTarget, MENU_KINDS } from '../action/kinds.js';
import { type Action, tookEffect } from '../action/lifecycle.js';
import { canActIn } from '../assessment/assessment.js';
import type { Incident } from './incident.js';
import type { ProposeRefusal } from '../refusals.js';

/** The user and key an action works on, when the assessment found them in an account within reach. */
export function defaultTarget(incident: Incident): ActionTarget | undefined {
  const owner = incident.assessment.owner;
  if (!owner || !canActIn(incident.assessment.account)) return undefined;
  return { userName: owner.userName, keyId: incident.keyId };
}

/** The kinds offered on the incident's menu: a temporary key cannot be disabled, deleted or replaced, so only its user's actions apply. */
export function menuKinds(incident: Incident): readonly ActionKind[] {
  return isTemporaryKey(incident.keyId) ? MENU_KINDS.filter((k) => ACTIONS[k].on === 'user' && k !== ActionKind.CreateReplacementKey) : MENU_KINDS;
}

/** Whether the incident's menu offers `kind` (a value from a payload, trusted for nothing else). */
export function menuOffers(incident: Incident, kind: string): kind is ActionKind {
  return (menuKinds(incident) as readonly string[]).includes(kind);
}

/** Why the menu does not take `kind`: a temporary key's menu leaves out the key's own actions; anything else is not on it. */
export function notOnMenu(incident: Incident, kind: string): ProposeRefusal {
  return isTemporaryKey(incident.keyId) && (MENU_KINDS as readonly string[]).includes(kind) ? { code: 'temporary-key' } : { code: 'not-on-menu', incidentId: incident.id };
}

/** What the latest action on the exposed key left it as. */
export type KeyStateAfter = 'disabled' | 'enabled' | 'deleted';

const KEY_STATE: Partial<Record<ActionKind, KeyStateAfter>> = {
  [ActionKind.DisableKey]: 'disabled',
  [ActionKind.EnableKey]: 'enabled',
  [ActionKind.DeleteKey]: 'deleted',
};

/**
 * The exposed key's state as the latest action that changed it left it (the assessment is a
 * snapshot from before them); undefined when no action changed it.
 */
export function keyStateAfter(incident: Incident, actions: readonly Action[]): KeyStateAfter | undefined {
  const onKey = actions
    .filter((x) => tookEffect(x) && x.target.keyId === incident.keyId && KEY_STATE[x.kind] !== undefined)
    .sort((x, y) => (x.finishedAt ?? '').localeCompare(y.finishedAt ?? ''));
  const last = onKey.at(-1);
  return last ? KEY_STATE[last.kind] : undefined;
}
