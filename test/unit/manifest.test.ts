/**
 * The Slack app manifest: valid against Slack's published schema, and holding exactly the
 * scopes the code needs (each Web API method the source calls, each event, the command and
 * the shortcut), no more.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');

/** Scopes each Web API method needs (Slack's method reference); `[]` when none is required. */
const METHOD_SCOPES: Readonly<Record<string, readonly string[]>> = {
  'chat.postMessage': ['chat:write'],
  'chat.update': ['chat:write'],
  'chat.getPermalink': [],
  'conversations.join': ['channels:join'],
  'views.open': [],
  'files.getUploadURLExternal': ['files:write'],
  'files.completeUploadExternal': ['files:write'],
  'usergroups.users.list': ['usergroups:read'],
  'conversations.members': ['channels:read', 'groups:read'],
  'users.info': ['users:read'],
  'auth.test': [],
};
/** Scopes the bot events need. */
const EVENT_SCOPES: Readonly<Record<string, string>> = { 'message.channels': 'channels:history', 'message.groups': 'groups:history' };

interface Manifest {
  features: { slash_commands?: unknown[]; shortcuts?: unknown[] };
  oauth_config: { scopes: { bot: string[] } };
  settings: { event_subscriptions?: { bot_events?: string[] } };
}

async function manifest(): Promise<Manifest> {
  return parse(await readFile(join(ROOT, 'manifest.yml'), 'utf8')) as Manifest;
}

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile() && e.name.endsWith('.ts')).map((e) => join(e.parentPath, e.name));
}

/** Every `client.<family>.<method>(` (and `client.<a>.<b>.<c>(`) in the Slack adapters. */
async function calledMethods(): Promise<Set<string>> {
  const found = new Set<string>();
  for (const file of await sourceFiles(join(ROOT, 'src/adapters/slack'))) {
    const text = await readFile(file, 'utf8');
    for (const m of text.matchAll(/client\s*\.\s*([a-z]+)\s*\.\s*([a-zA-Z]+)(?:\s*\.\s*([a-zA-Z]+))?\s*\(/g)) {
      found.add([m[1], m[2], m[3]].filter(Boolean).join('.'));
    }
  }
  return found;
}

describe('the Slack app manifest', () => {
  it('is valid against Slack\'s published app-manifest schema', async () => {
    const schema = JSON.parse(await readFile(join(ROOT, 'test/fixtures/slack/manifest.schema.1.0.0.json'), 'utf8')) as object;
    const ajv = new Ajv({ strict: false, allErrors: true });
    const validate = ajv.compile(schema);
    const valid = validate(await manifest());
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('knows the scopes of every Web API method the code calls', async () => {
    const called = await calledMethods();
    expect(called.size).toBeGreaterThanOrEqual(8);
    expect([...called].filter((m) => !(m in METHOD_SCOPES))).toEqual([]);
  });

  it('declares every scope the code needs and no other', async () => {
    const m = await manifest();
    const needed = new Set<string>();
    for (const method of await calledMethods()) for (const scope of METHOD_SCOPES[method] ?? []) needed.add(scope);
    for (const event of m.settings.event_subscriptions?.bot_events ?? []) needed.add(EVENT_SCOPES[event] ?? `unknown event ${event}`);
    // Slash commands and shortcuts both come with the commands scope.
    if ((m.features.slash_commands?.length ?? 0) + (m.features.shortcuts?.length ?? 0) > 0) needed.add('commands');
    expect([...m.oauth_config.scopes.bot].sort()).toEqual([...needed].sort());
  });
});
