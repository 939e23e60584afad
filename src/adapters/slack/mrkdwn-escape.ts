/**
 * Escaping for Slack mrkdwn. Everything that comes from AWS or from people goes through
 * here before it reaches Slack, so it can never mention @channel, a user or a group, or
 * forge a link: `<`, `>` and `&` are Slack's control characters.
 */

const ZERO_WIDTH_SPACE = '\u200B';

/** Escapes text for a mrkdwn field (also used for notification fallbacks). */
export function esc(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    // Broadcast words stay inert even where a client auto-parses mentions.
    .replace(/@(channel|here|everyone)\b/gi, `@${ZERO_WIDTH_SPACE}$1`);
}

/** Inline code: escaped, with backticks (which would end the span) replaced. */
export function code(text: string): string {
  return `\`${esc(text).replace(/`/g, 'ˋ')}\``;
}

/** Cuts to Slack's block text limits, on a character boundary, marking the cut. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${Array.from(text).slice(0, max - 1).join('')}…`;
}

/** A Slack-formatted date that shows in each reader's own time zone, with a UTC fallback. */
export function slackDate(iso: string, format = '{date_short_pretty} {time}'): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return esc(iso);
  const fallback = new Date(ms).toISOString().replace('T', ' ').slice(0, 16) + ' UTC';
  return `<!date^${Math.floor(ms / 1000)}^${format}|${fallback}>`;
}

/** A mention of a Slack user by id; anything not shaped like an id is shown escaped. */
export function mention(userId: string): string {
  if (userId === 'bot') return 'key-incident';
  return /^[UW][A-Z0-9]+$/.test(userId) ? `<@${userId}>` : esc(userId);
}
