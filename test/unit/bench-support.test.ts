import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/** The test support modules the benchmarks import, which run outside vitest. */
function supportImportedByBenchmarks(): string[] {
  const found = new Set<string>();
  for (const file of readdirSync('bench').filter((f) => f.endsWith('.ts'))) {
    for (const m of readFileSync(`bench/${file}`, 'utf8').matchAll(/from '\.\.\/(test\/support\/[\w./-]+)\.js'/g)) found.add(`./${m[1]}.ts`);
  }
  return [...found].sort();
}

describe('the benchmarks', () => {
  it('import the test support outside vitest without a vitest hook running', () => {
    const modules = supportImportedByBenchmarks();
    expect(modules.length).toBeGreaterThan(0);
    const script = `for (const m of ${JSON.stringify(modules)}) await import(m); console.log('imported ' + ${modules.length});`;
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 60_000 });
    expect(out.trim()).toBe(`imported ${modules.length}`);
  }, 60_000);
});
