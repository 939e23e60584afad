/** The one-line verdict of a CloudTrail review, for the incident's root message. */
import { OTHERS } from './activity.js';
import { FindingCategory, type ActivitySummary, type Finding } from './types.js';

export interface VerdictInput {
  readonly findings: readonly Finding[];
  /** Temporary credentials derived from the key (the credential tree without its root). */
  readonly temporarySessions: number;
  readonly activity: ActivitySummary;
  /** Source IPs the team recognises, matched exactly (no CIDR ranges). */
  readonly knownIps?: readonly string[];
  /** The window reviewed, for the all-clear line. */
  readonly days: number;
  /** A cap left part of the window unread. */
  readonly partial?: boolean;
}

/**
 * True for CloudTrail source "addresses" that are AWS itself: a service acting for the caller
 * (`cloudformation.amazonaws.com`) or `AWS Internal`.
 */
export function isAwsService(source: string): boolean {
  return source.endsWith('.amazonaws.com') || source === 'AWS Internal';
}

/**
 * Distinct source IPs neither known nor AWS services. `atLeast` is set when some IPs were
 * past the aggregator's cap (summed under `(others)`): there are at least `count` then.
 */
export function unknownIps(activity: ActivitySummary, knownIps: readonly string[] = []): { values: string[]; atLeast: boolean } {
  const known = new Set(knownIps);
  const values = activity.sourceIps
    .map((s) => s.value)
    .filter((ip) => ip !== OTHERS && !known.has(ip) && !isAwsService(ip));
  return { values, atLeast: activity.sourceIps.some((s) => s.value === OTHERS) };
}

const LABELS: ReadonlyArray<readonly [FindingCategory, string]> = [
  [FindingCategory.IamPersistence, 'persistence'],
  [FindingCategory.DefenceEvasion, 'defence-evasion'],
  [FindingCategory.Spend, 'spend'],
  [FindingCategory.Data, 'data'],
];

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/**
 * One line: "3 persistence findings, 2 temporary sessions, activity from 2 unknown IPs", or
 * "no suspicious activity in the last 7 days" when there are no findings, no derived
 * sessions, no bursts of denied calls and no unknown IPs.
 */
export function verdict(input: VerdictInput): string {
  const parts = LABELS.flatMap(([category, label]) => {
    const n = input.findings.filter((f) => f.category === category).length;
    return n > 0 ? [plural(n, `${label} finding`)] : [];
  });
  if (input.temporarySessions > 0) parts.push(plural(input.temporarySessions, 'temporary session'));
  const bursts = input.activity.errorBursts.length;
  if (bursts > 0) parts.push(plural(bursts, 'burst of denied calls', 'bursts of denied calls'));
  const ips = unknownIps(input.activity, input.knownIps);
  if (ips.values.length > 0) {
    const n = ips.values.length;
    parts.push(ips.atLeast ? `activity from ${n}+ unknown IPs` : `activity from ${plural(n, 'unknown IP')}`);
  }
  const partial = input.partial ? ' (partial review: not all of CloudTrail was read)' : '';
  if (parts.length > 0) return `${parts.join(', ')}${partial}`;
  const window = input.days === 1 ? 'the last day' : `the last ${input.days} days`;
  return input.partial ? `no suspicious activity in what was read of ${window}${partial}` : `no suspicious activity in ${window}`;
}
