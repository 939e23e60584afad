import { KeyIncidentError } from '../../domain/errors.js';

/** DynamoDB's hard limit on one item, names and values included. */
export const MAX_ITEM_BYTES = 400 * 1024;

/**
 * The size DynamoDB charges an item, following its published rules: UTF-8 bytes of names and
 * strings, about one byte per two digits of a number, one byte per boolean or null, and three
 * bytes plus one per element for maps and lists. Close enough to refuse an oversized item
 * with a clear error before DynamoDB answers with a bare ValidationException.
 */
export function itemBytes(item: object): number {
  let total = 0;
  for (const [name, value] of Object.entries(item)) {
    if (value === undefined) continue;
    total += Buffer.byteLength(name) + valueBytes(value);
  }
  return total;
}

/** Throws `KeyIncidentError('item_too_large')` when the item cannot be stored. */
export function assertItemFits(item: object, what: string): void {
  const bytes = itemBytes(item);
  if (bytes > MAX_ITEM_BYTES) {
    throw new KeyIncidentError(
      'item_too_large',
      `${what} is about ${Math.ceil(bytes / 1024)} KB; DynamoDB stores at most 400 KB per item`,
    );
  }
}

function valueBytes(value: unknown): number {
  if (typeof value === 'string') return Buffer.byteLength(value);
  if (typeof value === 'number' || typeof value === 'bigint') {
    return Math.ceil(String(value).replace(/[-.]/g, '').length / 2) + 1;
  }
  if (typeof value === 'boolean' || value === null) return 1;
  if (Array.isArray(value)) {
    return value.reduce<number>((sum, element) => sum + 1 + valueBytes(element), 3);
  }
  if (typeof value === 'object') {
    let sum = 3;
    for (const [name, element] of Object.entries(value)) {
      if (element === undefined) continue;
      sum += 1 + Buffer.byteLength(name) + valueBytes(element);
    }
    return sum;
  }
  return 0;
}
