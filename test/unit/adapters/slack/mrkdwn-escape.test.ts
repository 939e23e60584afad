import { describe, expect, it } from 'vitest';
import { clip, code, esc, mention, slackDate } from '../../../../src/adapters/slack/mrkdwn-escape.js';

describe('escaping for Slack', () => {
  it('neutralises special mentions and forged links', () => {
    const out = esc('<!channel> <@U123> <https://evil.example|aws.amazon.com> & more');
    expect(out).toBe('&lt;!channel&gt; &lt;@U123&gt; &lt;https://evil.example|aws.amazon.com&gt; &amp; more');
    expect(out).not.toMatch(/[<>]/);
  });

  it('breaks bare broadcast words with a zero-width space', () => {
    expect(esc('hey @channel and @here and @everyone')).toBe('hey @\u200Bchannel and @\u200Bhere and @\u200Beveryone');
  });

  it('keeps inline code from being closed early', () => {
    expect(code('a`b<c')).toBe('`aˋb&lt;c`');
  });

  it('clips long text with an ellipsis', () => {
    expect(clip('abcdef', 4)).toBe('abc…');
    expect(clip('abc', 4)).toBe('abc');
  });

  it('renders dates in the reader\'s zone with a UTC fallback', () => {
    expect(slackDate('2026-11-29T03:12:45Z')).toBe('<!date^1795921965^{date_short_pretty} {time}|2026-11-29 03:12 UTC>');
    expect(slackDate('not a date')).toBe('not a date');
  });

  it('mentions only well-formed user ids', () => {
    expect(mention('U012AB3CD')).toBe('<@U012AB3CD>');
    expect(mention('<!here>')).toBe('&lt;!here&gt;');
  });
});
