/**
 * AWS Organizations (JSON 1.1, `AWSOrganizationsV20161128.<Operation>`): DescribeAccount and
 * ListAccounts in the shapes of the Organizations API reference, JoinedTimestamp in epoch seconds.
 *
 * Input is checked first (InvalidInputException with its `Reason`, as Organizations reports
 * broken constraints; the messages are the reasons' descriptions in the API reference, and for
 * a malformed account id the one Organizations is seen to send). Then the caller's account: in no organization (or none seeded)
 * AWSOrganizationsNotInUseException; a member that is neither the management account nor a
 * delegated administrator AccessDeniedException. DescribeAccount of an account outside the
 * organization is AccountNotFoundException.
 *
 * ListAccounts pages by MaxResults (1–20, default 20) with an opaque NextToken, and like every
 * list of the fake holds at most `capPageSize` accounts per page.
 */
import { FakeAwsFault } from './faults.js';
import type { OrganizationAccount, OrganizationState } from './organization-state.js';
import { offsetToken, tokenOffset } from './request.js';
import type { JsonHandler, JsonHandlerContext, JsonObject } from './secrets-handlers.js';

const ACCOUNT_ID = /^\d{12}$/;
const MAX_RESULTS = 20;

function describeAccount(ctx: JsonHandlerContext): JsonObject {
  const accountId = accountIdOf(ctx.input);
  const account = readableOrganization(ctx).member(accountId);
  if (!account) throw new FakeAwsFault('AccountNotFoundException', "You specified an account that doesn't exist.");
  return { Account: accountFields(account) };
}

function listAccounts(ctx: JsonHandlerContext): JsonObject {
  const maxResults = maxResultsOf(ctx.input.MaxResults);
  const start = startOf(ctx.input.NextToken);
  const { accounts } = readableOrganization(ctx);
  const page = accounts.slice(start, start + Math.min(maxResults, ctx.world.pageCap ?? Infinity));
  const next = start + page.length;
  return { Accounts: page.map(accountFields), ...(next < accounts.length ? { NextToken: offsetToken(next) } : {}) };
}

/** The organization, when the caller's account may read it. */
function readableOrganization(ctx: JsonHandlerContext): OrganizationState {
  const organization = ctx.world.organization;
  const account = ctx.caller.account;
  if (!organization?.member(account)) {
    throw new FakeAwsFault('AWSOrganizationsNotInUseException', 'Your account is not a member of an organization.');
  }
  if (!organization.administers(account)) {
    throw new FakeAwsFault('AccessDeniedException', "You don't have permissions to access this resource.");
  }
  return organization;
}

function accountFields(account: OrganizationAccount): JsonObject {
  return {
    Id: account.id,
    Arn: account.arn,
    Email: account.email,
    Name: account.name,
    Status: account.status,
    State: account.status,
    JoinedMethod: account.joinedMethod,
    JoinedTimestamp: account.joinedAt.getTime() / 1000,
  };
}

function accountIdOf(input: JsonObject): string {
  const id = input.AccountId;
  if (id === undefined || id === null) throw invalidInput('INPUT_REQUIRED', 'You must include a value for all required parameters.');
  if (typeof id !== 'string') throw new FakeAwsFault('SerializationException', 'Invalid value for AccountId');
  if (!ACCOUNT_ID.test(id)) throw invalidInput('INVALID_PATTERN', 'You provided a value that does not match the required pattern.');
  return id;
}

function maxResultsOf(value: unknown): number {
  if (value === undefined || value === null) return MAX_RESULTS;
  if (typeof value !== 'number' || !Number.isInteger(value)) throw new FakeAwsFault('SerializationException', 'Invalid value for MaxResults');
  if (value < 1) throw invalidInput('MIN_VALUE_EXCEEDED', 'You provided a numeric parameter that has a smaller value than allowed.');
  if (value > MAX_RESULTS) throw invalidInput('MAX_VALUE_EXCEEDED', 'You provided a numeric parameter that has a larger value than allowed.');
  return value;
}

function startOf(token: unknown): number {
  if (token === undefined || token === null) return 0;
  const offset = typeof token === 'string' ? tokenOffset(token) : undefined;
  if (offset === undefined) throw invalidInput('INVALID_NEXT_TOKEN', 'Get the value for the NextToken parameter from the response to a previous call of the operation.');
  return offset;
}

/** Organizations' answer to input that breaks a constraint; `reason` names which. */
function invalidInput(reason: string, message: string): FakeAwsFault {
  return new FakeAwsFault('InvalidInputException', message, 400, { Reason: reason });
}

/** Operation name (after `AWSOrganizationsV20161128.`) → handler. */
export const organizationsHandlers: Readonly<Record<string, JsonHandler>> = {
  DescribeAccount: describeAccount,
  ListAccounts: listAccounts,
};
