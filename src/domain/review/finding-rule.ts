/** The shape of a finding rule, shared by the rule modules. */
import type { EventParts } from './fields.js';
import type { Finding, TrailEvent } from './types.js';

/** What a rule decides; `findingsOf` adds the evidence every finding carries. */
export type Draft = Pick<Finding, 'category' | 'summary' | 'cleanup' | 'consoleUrl' | 'cliCommand'>;

/** Reads one successful event of its kind; undefined when it is not worth a finding. */
export type Rule = (event: TrailEvent, parts: EventParts) => Draft | undefined;
