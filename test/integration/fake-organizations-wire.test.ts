/** The fake AWS Organizations on the wire, with the real SDK: DescribeAccount, ListAccounts, who may call them. */
import {
  DescribeAccountCommand,
  ListAccountsCommand,
  OrganizationsClient,
  paginateListAccounts,
  type ListAccountsCommandInput,
} from '@aws-sdk/client-organizations';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { describe, expect, it } from 'vitest';
import { useWireFake } from '../support/wire-fake.js';
import { trustAccount, type OrganizationAccountSeed } from '../fakes/fake-aws.js';

const BOT_ACCOUNT = '111122223333';
const MEMBER = '444455556666';
const OUTSIDER = '999988887777';
const BOT_KEYS = { accessKeyId: 'AKIAKEYINCIDENTTESTS', secretAccessKey: 'not-a-real-secret' };
const SEED_SECONDS = Date.parse('2024-01-15T09:30:00Z') / 1000;

const fake = useWireFake({ botAccount: BOT_ACCOUNT });

type SdkCredentials = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };

/** A bare SDK client making one attempt per call, so every answer shows. */
function organizations(credentials: SdkCredentials = BOT_KEYS): OrganizationsClient {
  const client = new OrganizationsClient({ region: 'us-east-1', endpoint: fake.aws.url, maxAttempts: 1, credentials });
  fake.track(client);
  return client;
}

const describeAccount = (AccountId: string, credentials?: SdkCredentials) =>
  organizations(credentials).send(new DescribeAccountCommand({ AccountId }));
const listAccounts = (input: ListAccountsCommandInput = {}, credentials?: SdkCredentials) =>
  organizations(credentials).send(new ListAccountsCommand(input));

/** The SDK error a call fails with: its name, message, status and Organizations' Reason if any. */
async function failure(call: Promise<unknown>) {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e as { name: string; message: string; Reason?: string; $metadata: { httpStatusCode?: number } },
  );
  expect(error, 'the call should have failed').toBeDefined();
  const { name, message, Reason, $metadata } = error!;
  return { name, message, status: $metadata.httpStatusCode, ...(Reason === undefined ? {} : { Reason }) };
}

const member = (id: string, name = `account-${id}`): OrganizationAccountSeed => ({ id, name, email: `aws+${name}@example.com` });

/** An organization the bot's account manages, with `count` members besides it. */
function organizationWith(count: number): string[] {
  const ids = Array.from({ length: count }, (_, i) => String(200000000000 + i));
  fake.aws.organization({ managementAccount: BOT_ACCOUNT, accounts: ids.map((id) => member(id)) });
  return [BOT_ACCOUNT, ...ids];
}

const NOT_IN_USE = { name: 'AWSOrganizationsNotInUseException', message: 'Your account is not a member of an organization.', status: 400 };

describe('fake Organizations DescribeAccount', () => {
  it('describes a member account in the documented shape, the ARN under the organization id', async () => {
    const orgId = fake.aws.organization({
      managementAccount: BOT_ACCOUNT,
      accounts: [{ id: MEMBER, name: 'Production', email: 'prod@example.com', joinedAt: '2023-06-01T12:00:00.500Z' }],
    });

    const { Account } = await describeAccount(MEMBER);

    expect(orgId).toMatch(/^o-[a-z0-9]{10,32}$/);
    expect(Account).toEqual({
      Id: MEMBER,
      Arn: `arn:aws:organizations::${BOT_ACCOUNT}:account/${orgId}/${MEMBER}`,
      Email: 'prod@example.com',
      Name: 'Production',
      Status: 'ACTIVE',
      State: 'ACTIVE',
      JoinedMethod: 'CREATED',
      JoinedTimestamp: new Date('2023-06-01T12:00:00.500Z'),
    });
  });

  it('counts the management account as a member, joined by invitation, even when not listed', async () => {
    fake.aws.organization({ managementAccount: BOT_ACCOUNT, accounts: [member(MEMBER)] });

    const { Account } = await describeAccount(BOT_ACCOUNT);

    expect(Account).toMatchObject({ Id: BOT_ACCOUNT, JoinedMethod: 'INVITED', Status: 'ACTIVE' });
  });

  it('shows a suspended account as SUSPENDED in Status and State', async () => {
    fake.aws.organization({ managementAccount: BOT_ACCOUNT, accounts: [{ ...member(MEMBER), status: 'SUSPENDED' }] });

    const { Account } = await describeAccount(MEMBER);

    expect([Account?.Status, Account?.State]).toEqual(['SUSPENDED', 'SUSPENDED']);
  });

  it('answers an account outside the organization with AccountNotFoundException', async () => {
    fake.aws.organization({ managementAccount: BOT_ACCOUNT, accounts: [member(MEMBER)] });

    expect(await failure(describeAccount(OUTSIDER))).toEqual({
      name: 'AccountNotFoundException',
      message: "You specified an account that doesn't exist.",
      status: 400,
    });
  });

  it.each(['12345', '4444555566667', 'abcdefghijkl'])('refuses the account id %s with InvalidInputException INVALID_PATTERN', async (id) => {
    fake.aws.organization({ managementAccount: BOT_ACCOUNT, accounts: [member(MEMBER)] });

    expect(await failure(describeAccount(id))).toEqual({
      name: 'InvalidInputException',
      message: 'You provided a value that does not match the required pattern.',
      status: 400,
      Reason: 'INVALID_PATTERN',
    });
  });

  it('sends epoch seconds and the Reason member on the wire', async () => {
    fake.aws.organization({ managementAccount: BOT_ACCOUNT, accounts: [member(MEMBER)] });
    const post = async (body: object) => {
      const response = await fetch(fake.aws.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-amz-json-1.1',
          'x-amz-target': 'AWSOrganizationsV20161128.DescribeAccount',
          authorization: 'AWS4-HMAC-SHA256 Credential=AKIAKEYINCIDENTTESTS/20240115/us-east-1/organizations/aws4_request, SignedHeaders=host, Signature=00',
        },
        body: JSON.stringify(body),
      });
      return { status: response.status, json: (await response.json()) as Record<string, unknown> };
    };

    const found = await post({ AccountId: MEMBER });
    const invalid = await post({ AccountId: 'nope' });

    expect(found.json.Account).toMatchObject({ JoinedTimestamp: SEED_SECONDS });
    expect(invalid).toEqual({
      status: 400,
      json: { __type: 'InvalidInputException', Message: 'You provided a value that does not match the required pattern.', Reason: 'INVALID_PATTERN' },
    });
    expect(fake.aws.calls.map((c) => [c.service, c.action, c.errorCode])).toEqual([
      ['organizations', 'DescribeAccount', undefined],
      ['organizations', 'DescribeAccount', 'InvalidInputException'],
    ]);
  });
});

describe('fake Organizations ListAccounts', () => {
  it('lists every account, the management account first, in pages of MaxResults with an opaque NextToken', async () => {
    const ids = organizationWith(4);

    const first = await listAccounts({ MaxResults: 2 });
    const second = await listAccounts({ MaxResults: 2, NextToken: first.NextToken });
    const last = await listAccounts({ MaxResults: 2, NextToken: second.NextToken });

    expect([first, second, last].map((p) => p.Accounts?.map((a) => a.Id))).toEqual([ids.slice(0, 2), ids.slice(2, 4), ids.slice(4)]);
    expect(first.NextToken).toMatch(/^[A-Za-z0-9+/=]+$/);
    expect(last.NextToken).toBeUndefined();
    expect(last.Accounts?.[0]).toMatchObject({ Id: ids[4], Name: `account-${ids[4]}`, Status: 'ACTIVE', JoinedTimestamp: new Date(SEED_SECONDS * 1000) });
  });

  it('pages 20 accounts at a time by default, and the SDK paginator gets them all', async () => {
    const ids = organizationWith(24);

    const first = await listAccounts();
    const all: string[] = [];
    for await (const page of paginateListAccounts({ client: organizations() }, {})) all.push(...(page.Accounts ?? []).map((a) => a.Id!));

    expect(first.Accounts).toHaveLength(20);
    expect(first.NextToken).toBeDefined();
    expect(all).toEqual(ids);
  });

  it('holds at most capPageSize accounts a page, whatever MaxResults says', async () => {
    organizationWith(3);
    fake.aws.capPageSize(1);

    const page = await listAccounts({ MaxResults: 20 });

    expect(page.Accounts).toHaveLength(1);
    expect(page.NextToken).toBeDefined();
  });

  it.each([
    [{ MaxResults: 21 }, 'MAX_VALUE_EXCEEDED', 'You provided a numeric parameter that has a larger value than allowed.'],
    [{ MaxResults: 0 }, 'MIN_VALUE_EXCEEDED', 'You provided a numeric parameter that has a smaller value than allowed.'],
    [{ NextToken: 'not-a-token' }, 'INVALID_NEXT_TOKEN', 'Get the value for the NextToken parameter from the response to a previous call of the operation.'],
  ])('refuses %j with InvalidInputException %s', async (input, reason, message) => {
    organizationWith(1);

    expect(await failure(listAccounts(input))).toEqual({ name: 'InvalidInputException', message, status: 400, Reason: reason });
  });
});

describe('fake Organizations: who may read the organization', () => {
  it('answers AWSOrganizationsNotInUseException while no organization is seeded, and again after reset', async () => {
    const before = await failure(listAccounts());
    organizationWith(1);
    await listAccounts();
    fake.aws.reset();

    expect(before).toEqual(NOT_IN_USE);
    expect(await failure(describeAccount(MEMBER))).toEqual(NOT_IN_USE);
  });

  it('answers AWSOrganizationsNotInUseException to an account outside the organization', async () => {
    fake.aws.organization({ managementAccount: OUTSIDER, accounts: [member(MEMBER)] });

    expect(await failure(listAccounts())).toEqual(NOT_IN_USE);
  });

  it('refuses a member that is neither the management account nor a delegated administrator', async () => {
    fake.aws.organization({ managementAccount: OUTSIDER, accounts: [member(BOT_ACCOUNT), member(MEMBER)] });

    expect(await failure(describeAccount(MEMBER))).toEqual({
      name: 'AccessDeniedException',
      message: "You don't have permissions to access this resource.",
      status: 400,
    });
  });

  it('lets a delegated administrator list and describe accounts', async () => {
    fake.aws.organization({ managementAccount: OUTSIDER, delegatedAdmins: [BOT_ACCOUNT], accounts: [member(BOT_ACCOUNT), member(MEMBER)] });

    const { Accounts } = await listAccounts();
    const { Account } = await describeAccount(MEMBER);

    expect(Accounts?.map((a) => a.Id)).toEqual([OUTSIDER, BOT_ACCOUNT, MEMBER]);
    expect(Account?.Arn).toMatch(new RegExp(`^arn:aws:organizations::${OUTSIDER}:account/o-[a-z0-9]+/${MEMBER}$`));
  });

  it('reads the organization with a session in the management account', async () => {
    fake.aws.organization({ managementAccount: OUTSIDER, accounts: [member(BOT_ACCOUNT), member(MEMBER)] });
    const role = fake.aws.account(OUTSIDER).role('OrganizationReader', { trust: trustAccount(BOT_ACCOUNT) });
    const sts = new STSClient({ region: 'us-east-1', endpoint: fake.aws.url, maxAttempts: 1, credentials: BOT_KEYS });
    fake.track(sts);
    const { Credentials: c } = await sts.send(new AssumeRoleCommand({ RoleArn: role.arn, RoleSessionName: 'org-read' }));
    const session = { accessKeyId: c!.AccessKeyId!, secretAccessKey: c!.SecretAccessKey!, sessionToken: c!.SessionToken! };

    const refusedToBot = await failure(listAccounts());
    const { Accounts } = await listAccounts({}, session);

    expect(refusedToBot.name).toBe('AccessDeniedException');
    expect(Accounts?.map((a) => a.Id)).toEqual([OUTSIDER, BOT_ACCOUNT, MEMBER]);
  });
});

describe('fake Organizations: test faults', () => {
  it("throttles with Organizations' TooManyRequestsException, then answers", async () => {
    organizationWith(1);
    fake.aws.throttle('ListAccounts');

    const throttled = await failure(listAccounts());
    const { Accounts } = await listAccounts();

    expect(throttled).toEqual({
      name: 'TooManyRequestsException',
      message: 'You have sent too many requests in too short a period of time. Try again later.',
      status: 400,
    });
    expect(Accounts).toHaveLength(2);
  });

  it('denies an operation as an identity policy would', async () => {
    organizationWith(1);
    fake.aws.deny('DescribeAccount');

    expect(await failure(describeAccount(MEMBER))).toEqual({
      name: 'AccessDeniedException',
      message: `User: arn:aws:iam::${BOT_ACCOUNT}:user/key-incident-bot is not authorized to perform: organizations:DescribeAccount on resource: * because no identity-based policy allows the organizations:DescribeAccount action`,
      status: 400,
    });
  });
});
