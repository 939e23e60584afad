/**
 * What an attacker left behind, one CloudTrail event at a time: IAM persistence, defence
 * evasion, spend and data access. Only successful events make findings; failed ones are
 * reconnaissance and are counted by the `ActivityAggregator` instead.
 */
import { EVASION_RULES } from './findings-evasion.js';
import { IAM_RULES } from './findings-iam.js';
import { RESOURCE_RULES } from './findings-resources.js';
import type { Rule } from './finding-rule.js';
import { callerKey, obj, partsOf, str } from './fields.js';
import type { Finding, TrailEvent } from './types.js';

export { DataAccessTracker } from './data-access.js';

/** Rules by `<service>:<EventName>`, the service being `eventSource` without `.amazonaws.com`. */
const RULES: ReadonlyMap<string, Rule> = new Map(Object.entries({ ...IAM_RULES, ...EVASION_RULES, ...RESOURCE_RULES }));

/** Lambda logs API versions in event names: `CreateFunction20150331`, `UpdateFunctionCode20150331v2`. */
const API_VERSION_SUFFIX = /\d{8}(v\d+)?$/;

/** The rule key of an event: `iam:CreateAccessKey`, `lambda:CreateFunction`. */
export function ruleKey(event: TrailEvent): string {
  const service = (str(event.eventSource) ?? '').replace(/\.amazonaws\.com$/, '');
  const name = (str(event.eventName) ?? '').replace(API_VERSION_SUFFIX, '');
  return `${service}:${name}`;
}

/**
 * The findings of one event: none for failed or unremarkable events. Each names the resource
 * in a one-line summary and carries the evidence (event id, time, region, source IP, key).
 * Values in the event are not trusted: a malformed event yields fewer details, never a throw.
 */
export function findingsOf(event: TrailEvent): Finding[] {
  if (!obj(event)) return [];
  // Refused calls changed nothing.
  if (str(event.errorCode) !== undefined) return [];
  const key = ruleKey(event);
  const rule = RULES.get(key);
  const draft = rule?.(event, partsOf(event));
  if (!draft) return [];
  return [
    {
      ...draft,
      eventName: str(event.eventName) ?? '',
      rule: key,
      eventId: str(event.eventId) ?? '',
      eventTime: str(event.eventTime) ?? '',
      region: str(event.awsRegion) ?? '',
      sourceIPAddress: str(event.sourceIPAddress),
      accessKeyId: callerKey(event),
    },
  ];
}
