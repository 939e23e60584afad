/**
 * IAM wildcards (`*` any run of characters, `?` exactly one), matched without building a
 * RegExp. Patterns come from policies and CloudTrail, so from whoever holds the exposed key: a
 * RegExp made of them (`.*.*.*…Z`) backtracks exponentially, and one policy would freeze the
 * bot. This matcher is the classic two pointers with a return to the last star: at most
 * O(pattern × text) steps, no recursion, whatever the pattern.
 */

export interface WildcardOptions {
  /** IAM compares action names case-insensitively; resource ARNs are case-sensitive. */
  readonly ignoreCase?: boolean;
}

/** Whether `text` matches the IAM wildcard `pattern` in full. */
export function matchesWildcard(pattern: string, text: string, options: WildcardOptions = {}): boolean {
  const p = options.ignoreCase ? pattern.toLowerCase() : pattern;
  const t = options.ignoreCase ? text.toLowerCase() : text;
  let pi = 0;
  let ti = 0;
  let star = -1; // index in p of the last `*` seen
  let resume = 0; // where in t that star's run ends for now
  while (ti < t.length) {
    const c = p[pi];
    if (c === '*') {
      star = pi++;
      resume = ti;
    } else if (pi < p.length && (c === '?' || c === t[ti])) {
      pi++;
      ti++;
    } else if (star >= 0) {
      pi = star + 1;
      ti = ++resume;
    } else {
      return false;
    }
  }
  while (p[pi] === '*') pi++;
  return pi === p.length;
}

