import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Entity } from '../../../../src/adapters/dynamodb/item-codec.js';

const KEYS_TS = fileURLToPath(new URL('../../../../src/adapters/dynamodb/keys.ts', import.meta.url));
const header = readFileSync(KEYS_TS, 'utf8').split('*/')[0]!;

describe('the key table in keys.ts', () => {
  it('lists every entity the table stores, once', () => {
    const rows = header.split('\n').filter((line) => /^ \* \| [a-z][a-z-]* +\|/.test(line));
    const entities = rows.map((line) => line.split('|')[1]!.trim()).filter((name) => name !== 'entity');
    expect(entities.sort()).toEqual(Object.values(Entity).sort());
  });

  it('cites only files that exist', () => {
    const cited = [...header.matchAll(/`([a-z-]+\.ts)`/g)].map((m) => m[1]!);
    expect(cited.length).toBeGreaterThan(0);
    expect(cited.filter((file) => !existsSync(new URL(`../../../../src/adapters/dynamodb/${file}`, import.meta.url)))).toEqual([]);
  });
});
