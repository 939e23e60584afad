import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { dynamicRegExps } from '../support/regexp-rules.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

const sources = () =>
  (readdirSync(join(ROOT, 'src'), { recursive: true }) as string[])
    .filter((p) => p.endsWith('.ts'))
    .map((p) => `src/${p.split('\\').join('/')}`)
    .map((path) => ({ path, text: readFileSync(join(ROOT, path), 'utf8') }));

describe('RegExps in the source tree', () => {
  it('are all constants: no RegExp is built from text (match IAM wildcards with domain/wildcard.ts)', () => {
    expect(dynamicRegExps(sources()).join('\n')).toBe('');
  });
});

describe('the RegExp check', () => {
  const check = (text: string) => dynamicRegExps([{ path: 'src/x.ts', text }]);

  it('names a RegExp built from a variable, a template or a call', () => {
    const text = [
      `export const a = (glob: string) => new RegExp(glob, 'i');`,
      'export const b = (glob: string) => new RegExp(`^${glob}$`);',
      `export const c = (glob: string) => RegExp(glob.replace('*', '.*'));`,
    ].join('\n');
    expect(check(text)).toEqual([
      'src/x.ts: RegExp built from an expression at line 1',
      'src/x.ts: RegExp built from an expression at line 2',
      'src/x.ts: RegExp built from an expression at line 3',
    ]);
  });

  it('names match, matchAll and search on a string, which build a RegExp from it', () => {
    const text = `export const f = (s: string, p: string) => [s.match(p), s.search(p), [...s.matchAll(p)]];`;
    expect(check(text)).toHaveLength(3);
  });

  it('leaves literals and RegExp constants alone', () => {
    const text = [
      `const WORD = /\\w+/g;`,
      `export const a = new RegExp('^a+$');`,
      'export const b = new RegExp(`^b$`, "i");',
      `export const f = (s: string) => [s.match(/x/), [...s.matchAll(WORD)], s.search(WORD), WORD.test(s)];`,
    ].join('\n');
    expect(check(text)).toEqual([]);
  });
});
