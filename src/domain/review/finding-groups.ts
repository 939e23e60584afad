/**
 * Findings folded by rule and resource as they stream in: a key that read one secret a
 * million times makes one finding that counts them. Memory is bounded by construction, whatever
 * an attacker writes: at most `MAX_GROUPS_PER_RULE` resources per rule, each with
 * `SAMPLE_EVENT_IDS` event ids; a rule's events on further resources are counted in one
 * folded finding of that rule. Rules are a fixed set, so one rule's flood never crowds out
 * another rule's finding.
 */
import { clean } from './fields.js';
import type { Finding, FindingGroup } from './types.js';

/** Event ids kept per finding (the earliest). */
export const SAMPLE_EVENT_IDS = 5;
/** Distinct resources listed per rule; later ones are counted in the rule's folded finding. */
export const MAX_GROUPS_PER_RULE = 50;

interface Sample {
  readonly time: string;
  readonly id: string;
}

const before = (a: Sample, b: Sample) => a.time < b.time || (a.time === b.time && a.id < b.id);

/** One finding and the events folded into it. */
class Group {
  count = 0;
  private first: Sample;
  private last: Sample;
  private readonly samples: Sample[] = [];

  constructor(private base: Finding, private readonly folded: boolean) {
    this.first = this.last = { time: base.eventTime, id: base.eventId };
  }

  add(f: Finding): void {
    const s = { time: f.eventTime, id: f.eventId };
    this.count += 1;
    if (this.count === 1 || before(s, this.first)) {
      this.first = s;
      // The earliest event is the evidence: the same whatever order the pages came in.
      this.base = this.folded ? foldedBase(f) : f;
    }
    if (before(this.last, s)) this.last = s;
    this.sample(s);
  }

  private sample(s: Sample): void {
    if (this.samples.length === SAMPLE_EVENT_IDS && !before(s, this.samples[SAMPLE_EVENT_IDS - 1]!)) return;
    const at = this.samples.findIndex((x) => before(s, x));
    this.samples.splice(at < 0 ? this.samples.length : at, 0, s);
    if (this.samples.length > SAMPLE_EVENT_IDS) this.samples.pop();
  }

  finding(): FindingGroup {
    return {
      ...this.base, count: this.count, firstSeen: this.first.time, lastSeen: this.last.time,
      sampleEventIds: this.samples.map((s) => s.id), ...(this.folded && { folded: true as const }),
    };
  }
}

/** A folded finding names no resource, so it carries no cleanup or link of one. */
function foldedBase(f: Finding): Finding {
  const { cleanup: _c, cliCommand: _cli, consoleUrl: _url, ...rest } = f;
  return { ...rest, summary: clean(`${f.eventName} on resources past the first ${MAX_GROUPS_PER_RULE} listed`) };
}

/** Findings folded by rule and resource (what the summary, the cleanup and the command name). */
export class FindingGroups {
  private readonly groups = new Map<string, Group>();
  private readonly perRule = new Map<string, number>();
  private readonly folded = new Map<string, Group>();

  add(f: Finding): void {
    const rule = f.rule ?? f.eventName;
    // The summary is cut at 200 characters: what a cleanup or command names tells resources apart beyond it.
    const key = [rule, f.summary, f.cleanup ? JSON.stringify(f.cleanup) : '', f.cliCommand ?? ''].join('\u0000');
    let group = this.groups.get(key);
    if (!group) {
      const listed = this.perRule.get(rule) ?? 0;
      if (listed >= MAX_GROUPS_PER_RULE) return this.fold(rule, f);
      group = new Group(f, false);
      this.groups.set(key, group);
      this.perRule.set(rule, listed + 1);
    }
    group.add(f);
  }

  private fold(rule: string, f: Finding): void {
    let group = this.folded.get(rule);
    if (!group) {
      group = new Group(f, true);
      this.folded.set(rule, group);
    }
    group.add(f);
  }

  /** Findings kept, folded ones included: bounded by the rules × (`MAX_GROUPS_PER_RULE` + 1). */
  get size(): number {
    return this.groups.size + this.folded.size;
  }

  /** Events counted in folded findings, on resources not listed one by one. */
  get foldedEvents(): number {
    let n = 0;
    for (const g of this.folded.values()) n += g.count;
    return n;
  }

  /** Every finding, earliest first. */
  findings(): FindingGroup[] {
    return [...this.groups.values(), ...this.folded.values()]
      .map((g) => g.finding())
      .sort((a, b) => (a.firstSeen < b.firstSeen ? -1 : a.firstSeen > b.firstSeen ? 1 : 0));
  }
}
