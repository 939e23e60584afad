import { describe, expect, it } from 'vitest';
import { coverageReply } from '../../../../../src/adapters/slack/views/account-coverage.js';
import type { AccountCoverage } from '../../../../../src/services/account-coverage.js';

const ROLE_ARN = (id: string) => `arn:aws:iam::${id}:role/KeyIncidentResponder`;
const account = (n: number, reach: AccountCoverage['reach']): AccountCoverage => {
  const id = String(100000000000 + n);
  return { account: { id, name: `Account <${n}>`, status: 'ACTIVE' }, reach };
};
const texts = (m: { blocks?: unknown }) => JSON.stringify(m.blocks);

describe('the accounts answer', () => {
  it('lists at most 40 uncovered accounts, in sections Slack accepts, and counts the rest', () => {
    const accounts = [
      account(0, { kind: 'own' }),
      ...Array.from({ length: 3 }, (_, i) => account(i + 1, { kind: 'role', roleArn: ROLE_ARN(String(i)) })),
      ...Array.from({ length: 57 }, (_, i) => account(i + 10, { kind: 'refused', roleArn: ROLE_ARN(String(i)), code: 'AccessDenied', message: 'no', externalId: false })),
    ];
    const reply = coverageReply({ kind: 'checked', roleName: 'KeyIncidentResponder', accounts });
    const sections = (reply.blocks ?? []).filter((b) => b.type === 'section') as Array<{ text: { text: string } }>;
    expect(sections.every((s) => s.text.text.length < 3000)).toBe(true);
    const listed = sections.flatMap((s) => s.text.text.split('\n')).filter((l) => l.startsWith('• '));
    expect(listed).toHaveLength(40);
    expect(listed[0]).toBe('• `100000000010` Account &lt;10&gt; — AccessDenied');
    expect(texts(reply)).toContain('…and 17 more.');
    expect(texts(reply)).toContain('*61 accounts in the organization.* The bot can respond in 4: its own and 3 through `KeyIncidentResponder`.');
    expect(reply.text).toBe('61 accounts; not covered: 57.');
  });

  it('says when cross-account response is off, when all is covered, and why Organizations cannot be listed', () => {
    const off = coverageReply({ kind: 'checked', accounts: [account(0, { kind: 'own' }), account(1, { kind: 'not-configured' })] });
    expect(texts(off)).toContain('Cross-account response is off (CROSS_ACCOUNT_ROLE_NAME is not set): a key of the other 1 account is reported, not handled.');
    const all = coverageReply({ kind: 'checked', roleName: 'R', accounts: [account(0, { kind: 'own' }), account(1, { kind: 'inactive' })] });
    expect(texts(all)).toContain('Every active account is covered.');
    expect(texts(all)).toContain('1 suspended or closing account not checked.');
    expect(texts(coverageReply({ kind: 'unavailable', code: 'AccessDeniedException' }))).toContain('management account or a delegated administrator');
    expect(texts(coverageReply({ kind: 'unavailable', code: 'AWSOrganizationsNotInUseException' }))).toContain('not in an AWS organization');
    expect(texts(coverageReply({ kind: 'unavailable', code: 'TooManyRequestsException' }))).toContain('did not list the accounts (TooManyRequestsException)');
  });
});
