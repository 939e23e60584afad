import { describe, expect, it } from 'vitest';
import { cell, code, codeSpan, escapeMarkdown, MAX_CELL_CHARS } from '../../../../src/domain/export/markdown-escape.js';

/** The cells of a GFM table row, split the way GFM splits them (on unescaped pipes). */
const cellsOf = (line: string) => line.replace(/^\| | \|$/g, '').split(/(?<!\\)\|/);

describe('escapeMarkdown', () => {
  it('keeps a pipe from splitting a table cell', () => {
    const line = `| ${cell('| a | b |')} | next |`;
    expect(cellsOf(line)).toHaveLength(2);
    expect(cell('| a | b |')).toBe('\\| a \\| b \\|');
  });

  it('puts every kind of line break on one line', () => {
    for (const br of ['\n', '\r\n', '\r', '\u2028', '\u2029', '\u0085']) {
      expect(escapeMarkdown(`one${br}# two`)).toBe('one \\# two');
    }
  });

  it('keeps a heading, quote, list or ordered-list marker from starting a block', () => {
    expect(escapeMarkdown('# heading')).toBe('\\# heading');
    expect(escapeMarkdown('> quote')).toBe('&gt; quote');
    expect(escapeMarkdown('- item')).toBe('\\- item');
    expect(escapeMarkdown('+ item')).toBe('\\+ item');
    expect(escapeMarkdown('=====')).toBe('\\=====');
    expect(escapeMarkdown('1. first')).toBe('1\\. first');
    expect(escapeMarkdown('  2) second')).toBe('2\\) second');
  });

  it('leaves a dash inside the text and a leading number that is no list marker alone', () => {
    expect(escapeMarkdown('2026-11-29 re-enabled')).toBe('2026-11-29 re-enabled');
    expect(escapeMarkdown('203.0.113.7')).toBe('203.0.113.7');
    expect(escapeMarkdown('3.')).toBe('3\\.');
  });

  it('escapes code fences and code spans', () => {
    expect(escapeMarkdown('```js')).toBe('\\`\\`\\`js');
    expect(escapeMarkdown('a `b` c')).not.toMatch(/(?<!\\)`/);
  });

  it('turns HTML into visible text', () => {
    expect(escapeMarkdown('<script>alert(1)</script>')).toBe('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(escapeMarkdown('&lt;b&gt;')).toBe('&amp;lt;b&amp;gt;');
  });

  it('keeps links, images and autolinks from forming', () => {
    expect(escapeMarkdown('[link](javascript:alert(1))')).toBe('\\[link\\](javascript:alert(1))');
    // GFM would still make a link of the bare URL after `(`: it goes in a code span.
    expect(escapeMarkdown('![x](http://evil/x.png)')).toBe('\\!\\[x\\](`http://evil/x.png)`');
    expect(escapeMarkdown('<javascript:alert(1)>')).not.toContain('<');
  });

  it('escapes emphasis, strikethrough, math, mentions and issue references', () => {
    expect(escapeMarkdown('*a* _b_ ~c~ $d$ @team #12')).toBe('\\*a\\* \\_b\\_ \\~c\\~ \\$d\\$ \\@team \\#12');
  });

  it('escapes a backslash so it cannot cancel the escape after it', () => {
    expect(escapeMarkdown('\\|')).toBe('\\\\\\|');
    expect(cellsOf(`| ${cell('x\\| y')} |`)).toHaveLength(1);
  });

  it('removes control characters and bidi overrides that disguise text', () => {
    expect(escapeMarkdown('safe\u202Etxt.exe\u0000\u200B')).toBe('safetxt.exe');
  });

  it('renders non-strings as text', () => {
    expect(escapeMarkdown(undefined)).toBe('');
    expect(escapeMarkdown(42)).toBe('42');
  });
});

describe('cell', () => {
  it('is never empty, so the table keeps its columns', () => {
    expect(cell('')).toBe(' ');
    expect(cell('\n\n')).toBe(' ');
  });

  it('caps very long values', () => {
    const long = cell('x'.repeat(MAX_CELL_CHARS + 500));
    expect(long.length).toBe(MAX_CELL_CHARS + 1);
    expect(long.endsWith('…')).toBe(true);
  });
});

describe('code', () => {
  it('wraps identifiers in a code span', () => {
    expect(code('AKIAIOSFODNN7EXAMPLE')).toBe('`AKIAIOSFODNN7EXAMPLE`');
    expect(code('arn:aws:iam::111122223333:user/deploy-bot')).toBe('`arn:aws:iam::111122223333:user/deploy-bot`');
  });

  it('escapes anything that could break out of a code span instead', () => {
    expect(code('a` | <b>')).toBe('a\\` \\| &lt;b&gt;');
    expect(code('x\ny')).toBe('x y');
  });
});

describe('bare URLs', () => {
  it('puts a URL in a code span, so that no renderer makes a link of it', () => {
    expect(escapeMarkdown('see https://evil.example/x_y?a=1&b=2 now')).toBe('see `https://evil.example/x_y?a=1&b=2` now');
    expect(escapeMarkdown('http://a.example and www.b.example/p')).toBe('`http://a.example` and `www.b.example/p`');
    expect(escapeMarkdown('FTP://c.example')).toBe('`FTP://c.example`');
  });

  it('fences a URL holding backticks with a longer run, and escapes its pipes in a table cell only', () => {
    expect(escapeMarkdown('https://e.example/`a``b')).toBe('```https://e.example/`a``b```');
    expect(escapeMarkdown('https://e.example/a`')).toBe('`` https://e.example/a` ``');
    expect(cell('https://e.example/a|b')).toBe('`https://e.example/a\\|b`');
    expect(escapeMarkdown('https://e.example/a|b')).toBe('`https://e.example/a|b`');
  });

  it('leaves words that only look like parts of a URL as text', () => {
    expect(escapeMarkdown('awww.example https: //x')).toBe('awww.example https: //x');
    expect(escapeMarkdown('- https://x.example')).toBe('\\- `https://x.example`');
  });
});

describe('codeSpan', () => {
  it('keeps a command as it is, quotes and all, on one line', () => {
    const command = `aws iam delete-user-policy --user-name 'it'\\''s' --policy-name "x_y*"`;
    expect(codeSpan(command)).toBe(`\`${command}\``);
    expect(codeSpan('aws s3 ls\n# gone')).toBe('`aws s3 ls # gone`');
    expect(codeSpan('echo `id`')).toBe('`` echo `id` ``');
    expect(codeSpan('a|b', { inCell: true })).toBe('`a\\|b`');
  });
});
