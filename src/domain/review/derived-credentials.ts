/**
 * Temporary credentials minted with the exposed key, and with those, and so on: the STS calls
 * that hand out new `ASIA…` keys, collected into a tree rooted at the exposed key.
 */
import { isTemporaryKey } from '../access-key.js';
import { at, callerKey, clean, obj, str, timeMs } from './fields.js';
import type { DerivedCredential, TrailEvent } from './types.js';

type Via = DerivedCredential['via'];

const VIA: ReadonlySet<string> = new Set<Via>([
  'GetSessionToken', 'GetFederationToken', 'AssumeRole', 'AssumeRoleWithSAML', 'AssumeRoleWithWebIdentity',
]);

const ROLE_ARN = /^arn:[\w-]+:iam::\d{12}:role\/.+$/;
/** `arn:aws:sts::123456789012:assumed-role/Name/session` (the role path is not kept in it). */
const ASSUMED_ROLE_ARN = /^arn:([\w-]+):sts::(\d{12}):assumed-role\/([^/]+)\/(.+)$/;

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** CloudTrail writes STS expirations as `Sep 30, 2026 3:40:11 AM` (UTC). */
const CLOUDTRAIL_DATE = /^([A-Z][a-z]{2}) (\d{1,2}), (\d{4}) (\d{1,2}):(\d{2}):(\d{2}) (AM|PM)$/;

/** An expiration as ISO-8601, from CloudTrail's `Mon D, YYYY h:mm:ss AM` or from ISO; undefined if neither. */
export function expirationIso(v: unknown): string | undefined {
  const s = str(v);
  if (s === undefined) return undefined;
  const m = CLOUDTRAIL_DATE.exec(s);
  if (m) {
    const [, mon = '', day, year, hour, min, sec, half] = m;
    const month = MONTHS.indexOf(mon);
    const h = (Number(hour) % 12) + (half === 'PM' ? 12 : 0);
    if (month < 0) return undefined;
    return new Date(Date.UTC(Number(year), month, Number(day), h, Number(min), Number(sec))).toISOString();
  }
  const ms = timeMs(s);
  return ms === undefined ? undefined : new Date(ms).toISOString();
}

/** The role of a role session's ARN: `…:assumed-role/Name/s` → `arn:aws:iam::…:role/Name`. */
export function roleArnOfSession(sessionArn: string): string | undefined {
  const m = ASSUMED_ROLE_ARN.exec(sessionArn);
  return m ? `arn:${m[1]}:iam::${m[2]}:role/${m[3]}` : undefined;
}

function roleOf(request: unknown, response: unknown): { roleArn?: string; sessionName?: string } {
  const requested = str(at(request, 'roleArn'));
  const sessionArn = str(at(response, 'assumedRoleUser', 'arn'));
  const fromSession = sessionArn ? ASSUMED_ROLE_ARN.exec(sessionArn) : null;
  // The requested ARN keeps the role's path; the session ARN drops it.
  const roleArn = requested && ROLE_ARN.test(requested) ? requested : sessionArn && roleArnOfSession(sessionArn);
  const sessionName = str(at(request, 'roleSessionName')) ?? fromSession?.[4];
  return { roleArn: roleArn || undefined, sessionName };
}

/**
 * The temporary credentials a successful STS call minted, or undefined for any other event.
 * Parent: the key that signed the call (`userIdentity.accessKeyId`); child:
 * `responseElements.credentials.accessKeyId`. SAML and web-identity calls are unsigned, so
 * they have a parent only when CloudTrail names a key for them.
 */
export function derivedCredential(event: TrailEvent): DerivedCredential | undefined {
  if (!obj(event)) return undefined;
  const via = str(event.eventName);
  if (via === undefined || !VIA.has(via) || str(event.eventSource) !== 'sts.amazonaws.com') return undefined;
  if (str(event.errorCode) !== undefined) return undefined;
  const parent = callerKey(event);
  const response = obj(event.responseElements);
  const child = str(at(response, 'credentials', 'accessKeyId'));
  if (!parent || !child || parent === child) return undefined;
  const request = obj(event.requestParameters);
  const role = via.startsWith('AssumeRole') ? roleOf(request, response) : {};
  // GetFederationToken names the federated user in `name`.
  const sessionName = via === 'GetFederationToken' ? str(at(request, 'name')) : role.sessionName;
  return {
    accessKeyId: child,
    parentAccessKeyId: parent,
    via: via as Via,
    roleArn: role.roleArn,
    sessionName,
    expiration: expirationIso(at(response, 'credentials', 'expiration')),
    eventId: str(event.eventId) ?? '',
    eventTime: str(event.eventTime) ?? '',
    region: str(event.awsRegion) ?? '',
    sourceIPAddress: str(event.sourceIPAddress),
  };
}

/** A key in the tree and the keys minted with it. */
export interface CredentialNode {
  readonly accessKeyId: string;
  /** How this key was minted; absent for the root. */
  readonly credential?: DerivedCredential;
  readonly children: readonly CredentialNode[];
}

function earlier(a: DerivedCredential, b: DerivedCredential): boolean {
  return a.eventTime < b.eventTime || (a.eventTime === b.eventTime && a.eventId < b.eventId);
}

/** Temporary keys kept in one tree. */
export const MAX_CREDENTIALS = 1_000;

/**
 * Derived credentials collected in any order, as a tree from the exposed key. A key minted
 * twice (the same event seen on two pages, or conflicting records) keeps its earliest
 * record, so every key has one parent; keys not reachable from the root are left out, and a
 * record that would mint the root or loop back is ignored.
 */
export class CredentialTree {
  private readonly minted = new Map<string, DerivedCredential>();
  /** Keys minted past `MAX_CREDENTIALS`: counted, not kept or followed. */
  untracked = 0;

  constructor(readonly rootAccessKeyId: string) {}

  /** Adds a credential; false when it was a duplicate, pointed back at the root, or came past the cap. */
  add(credential: DerivedCredential): boolean {
    if (credential.accessKeyId === this.rootAccessKeyId) return false;
    const known = this.minted.get(credential.accessKeyId);
    if (known && !earlier(credential, known)) return false;
    // Whoever holds the key can mint sessions without end: memory stays bounded.
    if (!known && this.minted.size >= MAX_CREDENTIALS) {
      this.untracked += 1;
      return false;
    }
    this.minted.set(credential.accessKeyId, credential);
    return true;
  }

  /** Adds what an event minted, if anything; returns it when the tree took it. */
  addEvent(event: TrailEvent): DerivedCredential | undefined {
    const c = derivedCredential(event);
    return c && this.add(c) ? c : undefined;
  }

  /** The tree from the root key; children in the order they were minted. */
  root(): CredentialNode {
    const children = new Map<string, DerivedCredential[]>();
    for (const c of this.minted.values()) {
      const siblings = children.get(c.parentAccessKeyId);
      if (siblings) siblings.push(c);
      else children.set(c.parentAccessKeyId, [c]);
    }
    const seen = new Set<string>([this.rootAccessKeyId]);
    const build = (key: string, credential?: DerivedCredential): CredentialNode => {
      const kids = (children.get(key) ?? []).filter((c) => !seen.has(c.accessKeyId)).sort((a, b) => (earlier(a, b) ? -1 : 1));
      // Marked before descending: a loop further down cannot come back here.
      kids.forEach((c) => seen.add(c.accessKeyId));
      return { accessKeyId: key, ...(credential && { credential }), children: kids.map((c) => build(c.accessKeyId, c)) };
    };
    return build(this.rootAccessKeyId);
  }

  /** Every credential reachable from the root, parents before children. */
  credentials(): DerivedCredential[] {
    const out: DerivedCredential[] = [];
    const walk = (n: CredentialNode) => {
      if (n.credential) out.push(n.credential);
      n.children.forEach(walk);
    };
    walk(this.root());
    return out;
  }

  /** The root and every key minted from it: what to search CloudTrail for. */
  accessKeyIds(): string[] {
    return [this.rootAccessKeyId, ...this.credentials().map((c) => c.accessKeyId)];
  }

  /** The tree as indented text, one key per line. */
  render(): string {
    const lines: string[] = [`${this.rootAccessKeyId} (exposed key)`];
    const walk = (n: CredentialNode, indent: string) =>
      n.children.forEach((child, i) => {
        const lastChild = i === n.children.length - 1;
        lines.push(`${indent}${lastChild ? '└─ ' : '├─ '}${describe(child)}`);
        walk(child, indent + (lastChild ? '   ' : '│  '));
      });
    walk(this.root(), '');
    return lines.join('\n');
  }
}

function describe(node: CredentialNode): string {
  const c = node.credential;
  if (!c) return node.accessKeyId;
  const role = c.roleArn ? ` ${c.roleArn}` : '';
  const session = c.sessionName ? ` (session ${c.sessionName})` : '';
  const expires = c.expiration ? `, expires ${c.expiration}` : '';
  return clean(`${c.accessKeyId} via ${c.via}${role}${session}, ${c.eventTime}${expires}`);
}

/** Distinct roles reached through the tree, first reached first: each needs its sessions revoked. */
export function rolesToRevoke(tree: CredentialTree): string[] {
  return [...new Set(tree.credentials().flatMap((c) => (c.roleArn ? [c.roleArn] : [])))];
}

/**
 * Session and federation tokens minted by long-term user keys. They outlive the key's
 * deactivation and are revoked through the user (a deny on older `aws:TokenIssueTime`).
 */
export function userSessions(tree: CredentialTree): DerivedCredential[] {
  const temporary = new Set(tree.credentials().map((c) => c.accessKeyId));
  return tree
    .credentials()
    .filter((c) => (c.via === 'GetSessionToken' || c.via === 'GetFederationToken') && !temporary.has(c.parentAccessKeyId))
    .filter((c) => !isTemporaryKey(c.parentAccessKeyId));
}
