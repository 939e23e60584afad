/**
 * Matching a policy's action wildcards: the RegExp the bot used to build from them against the
 * linear matcher it uses now (`src/domain/wildcard.ts`).
 *
 *   npx tsx bench/policy-wildcards.ts
 *
 * The pattern is `ec2:` then n stars then `Z`: no EC2 action ends with Z, so every name is
 * tried in full, which is what an attacker writing the policy would choose. Two tables: one
 * action name (`DescribeInstances`), and every EC2 action (as `actionLevel` matches them) with
 * the whole assessment of a one-statement policy (`reachOf`). The old RegExp grows with the
 * number of ways to share the name out among the stars, so it runs only where it ends: up to
 * 10 stars on one name, 5 on the catalogue. Everything runs in one process, so ratios compare.
 */
import { cpus, loadavg } from 'node:os';
import { permissionCatalogFor } from '../src/adapters/iam/permission-catalog.js';
import type { PolicyDocument } from '../src/domain/assessment/policy-document.js';
import { type PermissionCatalog, reachOf } from '../src/domain/assessment/policy-summary.js';
import { matchesWildcard } from '../src/domain/wildcard.js';

const STARS = [5, 10, 20, 40];
const OLD_MAX_STARS = 10;
const OLD_CATALOGUE_MAX_STARS = 5;
const BUDGET_MS = 100;

/** The old code, kept here only: every `*` becomes `.*`, so stars backtrack against each other. */
function globToRegExp(glob: string): RegExp {
  const body = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`, 'i');
}

/** Milliseconds per call: runs `fn` until 200 ms have passed (once when one call takes longer). */
function timePerCall(fn: () => unknown): number {
  let calls = 0;
  const started = performance.now();
  do {
    fn();
    calls++;
  } while (performance.now() - started < 200);
  return (performance.now() - started) / calls;
}

const policy = (action: string): PolicyDocument => ({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: action, Resource: '*' }],
});

const ratio = (old: number, linear: number) => `${Math.round(old / linear).toLocaleString('en')}×`;
const ms = (v: number) => (v >= 100 ? v.toFixed(0) : v >= 1 ? v.toFixed(2) : v.toFixed(4));

function oneName(): void {
  const name = 'DescribeInstances';
  console.log(`\nOne action name, ${name}:`);
  console.log('| stars | old RegExp, ms | linear, ms | old / linear |');
  console.log('|---|---|---|---|');
  for (const n of STARS) {
    const action = `${'*'.repeat(n)}Z`;
    const linear = timePerCall(() => matchesWildcard(action, name, { ignoreCase: true }));
    const re = globToRegExp(action);
    const old = n <= OLD_MAX_STARS ? timePerCall(() => re.test(name)) : undefined;
    console.log(`| ${n} | ${old === undefined ? 'not run' : ms(old)} | ${ms(linear)} | ${old === undefined ? '—' : ratio(old, linear)} |`);
  }
}

function catalogue(names: readonly string[], catalog: PermissionCatalog): void {
  console.log(`\nEvery EC2 action (${names.length}), and the assessment of the policy:`);
  console.log('| stars | old RegExp, ms | linear, ms | old / linear | assessment, ms | assessment / 100 ms |');
  console.log('|---|---|---|---|---|---|');
  for (const n of STARS) {
    const action = `${'*'.repeat(n)}Z`;
    const linear = timePerCall(() => names.filter((name) => matchesWildcard(action, name, { ignoreCase: true })));
    const assessment = timePerCall(() => reachOf([policy(`ec2:${action}`)], catalog));
    const re = globToRegExp(action);
    const old = n <= OLD_CATALOGUE_MAX_STARS ? timePerCall(() => names.filter((name) => re.test(name))) : undefined;
    const oldCells = old === undefined ? ['not run', '—'] : [ms(old), ratio(old, linear)];
    console.log(`| ${n} | ${oldCells[0]} | ${ms(linear)} | ${oldCells[1]} | ${ms(assessment)} | ${(assessment / BUDGET_MS).toFixed(4)} |`);
  }
}

async function main(): Promise<void> {
  const catalog = await permissionCatalogFor([policy('ec2:*')]);
  const names = (catalog.actionsOf('ec2') ?? []).map((a) => a.name);
  console.log(`Node ${process.version}, ${cpus().length} cores, load average ${loadavg()[0]!.toFixed(1)}`);
  oneName();
  catalogue(names, catalog);
}

await main();
