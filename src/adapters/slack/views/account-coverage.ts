/** The answer to `/key-incident accounts`: which accounts of the organization the bot can respond in. */
import { MEMBER_TEMPLATE } from '../../../domain/assessment/cross-account.js';
import type { AccountCoverage, CoverageOutcome } from '../../../services/account-coverage.js';
import { code, esc } from '../mrkdwn-escape.js';
import { type Block, context, section } from './blocks.js';
import type { SlackMessage } from './root-message.js';

/** Accounts named one by one; beyond this they are counted. */
const MAX_LISTED = 40;
/** Lines per section, so no section reaches Slack's 3,000 characters. */
const LINES_PER_SECTION = 15;

const UNAVAILABLE: Readonly<Record<string, string>> = {
  AWSOrganizationsNotInUseException: 'The bot’s account is not in an AWS organization: there are no other accounts to list.',
  AccessDeniedException: 'Organizations lists its accounts only to its management account or a delegated administrator, with organizations:ListAccounts: run the bot there, or check its policy.',
};

function line(c: AccountCoverage, why: string): string {
  return `• ${code(c.account.id)} ${esc(c.account.name)} — ${esc(why)}`;
}

function sections(lines: readonly string[]): Block[] {
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i += LINES_PER_SECTION) blocks.push(section(lines.slice(i, i + LINES_PER_SECTION).join('\n')));
  return blocks;
}

export function coverageReply(outcome: Exclude<CoverageOutcome, { kind: 'refused' }>): SlackMessage {
  if (outcome.kind === 'unavailable') {
    const text = UNAVAILABLE[outcome.code] ?? `AWS Organizations did not list the accounts (${outcome.code}).`;
    return { text: esc(text), blocks: [section(`🤔 ${esc(text)}`)] };
  }
  const { accounts, roleName } = outcome;
  const reached = accounts.filter((a) => a.reach.kind === 'role').length;
  const missing = accounts.filter((a) => a.reach.kind === 'refused' || a.reach.kind === 'not-configured');
  const inactive = accounts.filter((a) => a.reach.kind === 'inactive').length;
  const own = accounts.some((a) => a.reach.kind === 'own');
  const through = roleName ? ` and ${reached} through ${code(roleName)}` : '';
  const blocks: Block[] = [section(`🏢 *${accounts.length} account${accounts.length === 1 ? '' : 's'} in the organization.* The bot can respond in ${reached + (own ? 1 : 0)}: ${own ? 'its own' : 'none of its own'}${through}.`)];
  if (missing.length === 0) {
    blocks.push(section('✅ Every active account is covered.'));
  } else if (!roleName) {
    blocks.push(section(`⚠️ Cross-account response is off (CROSS_ACCOUNT_ROLE_NAME is not set): a key of the other ${missing.length} account${missing.length === 1 ? '' : 's'} is reported, not handled.`));
  } else {
    blocks.push(section(`⚠️ *Not covered (${missing.length}):* deploy ${code(MEMBER_TEMPLATE)} there (a StackSet with automatic deployment reaches new accounts by itself).`));
    const why = (c: AccountCoverage) => (c.reach.kind === 'refused' ? `${c.reach.code}` : 'not checked');
    blocks.push(...sections(missing.slice(0, MAX_LISTED).map((c) => line(c, why(c)))));
    if (missing.length > MAX_LISTED) blocks.push(context(`…and ${missing.length - MAX_LISTED} more.`));
  }
  if (inactive > 0) blocks.push(context(`${inactive} suspended or closing account${inactive === 1 ? '' : 's'} not checked.`));
  return { text: `${accounts.length} accounts; not covered: ${missing.length}.`, blocks };
}
