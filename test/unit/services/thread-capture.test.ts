import { describe, expect, it } from 'vitest';
import { TimelineEventType, type Incident } from '../../../src/domain/incident/incident.js';
import type { Delivery, ReplyEdited, ReplyPosted, ShortcutUsed } from '../../../src/ports/thread-capture.js';
import { capture, CHANNEL, eventsOfType, type MemoryWorld, NON_APPROVER, openedIncident, timeline, world } from './support.js';

const FIRST: Delivery = { eventId: 'Ev0001', eventTime: '2025-03-01T10:05:00.000Z', retryNum: 0, retryReason: undefined };
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

function reply(incident: Incident, ts: string, text: string): ReplyPosted {
  return { channel: CHANNEL, threadTs: incident.rootTs!, ts, user: NON_APPROVER, text, at: '2025-03-01T10:05:00.000Z', clientMsgId: undefined, delivery: FIRST };
}

function editOf(incident: Incident, ts: string, text: string, previousText: string): ReplyEdited {
  return {
    channel: CHANNEL, threadTs: incident.rootTs!, ts, user: NON_APPROVER, text, previousText,
    at: '2025-03-01T10:05:00.000Z', editedAt: '2025-03-01T10:06:00.000Z', clientMsgId: undefined, delivery: FIRST,
  };
}

function shortcutOn(ts: string, threadTs: string | undefined, text = 'ssh key found on the runner'): ShortcutUsed {
  return {
    channel: CHANNEL, threadTs, ts, user: NON_APPROVER, text, at: '2025-03-01T10:06:00.000Z', editedAt: undefined,
    addedBy: 'U0ONCALL', addedAt: '2025-03-01T10:07:00.000Z', triggerId: 'trig', responseUrl: 'https://hooks.slack.example/r',
  };
}

async function notes(w: MemoryWorld, incident: Incident): Promise<string[]> {
  return (await eventsOfType(w, incident.id, TimelineEventType.NoteAdded)).map((e) => e.summary);
}

describe('capturing the incident thread', () => {
  it('records a reply at its own time with its author', async () => {
    const w = world();
    const incident = await openedIncident(w);

    await capture(w).replyPosted(reply(incident, '1740823500.000100', 'rotating in CI now'));

    const [noted] = await eventsOfType(w, incident.id, TimelineEventType.NoteAdded);
    expect(noted).toMatchObject({ actor: NON_APPROVER, at: '2025-03-01T10:05:00.000Z', summary: 'rotating in CI now' });
  });

  it('ignores a redelivered reply', async () => {
    const w = world();
    const incident = await openedIncident(w);
    const posted = reply(incident, '1740823500.000100', 'rotating in CI now');

    await capture(w).replyPosted(posted);
    await capture(w).replyPosted({ ...posted, delivery: { ...FIRST, retryNum: 1, retryReason: 'http_timeout' } });

    expect(await notes(w, incident)).toEqual(['rotating in CI now']);
  });

  it('withholds a reply that holds what looks like a secret access key', async () => {
    const w = world();
    const incident = await openedIncident(w);

    await capture(w).replyPosted(reply(incident, '1740823500.000200', `the secret was ${SECRET}`));

    const recorded = JSON.stringify(await timeline(w, incident.id));
    expect(recorded).not.toContain(SECRET);
    expect(await notes(w, incident)).toHaveLength(1);
  });

  it.each([
    ['a Slack token', ['xoxb', '123456789012', 'AbCdEfGhIjKlMnOp'].join('-')],
    ['a GitHub token', `ghp_${'A1b2C3d4E5'.repeat(3)}aBcDeF`],
    ['a private key', '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA'],
    ['a password', 'DB_PASSWORD=hunter2 on the staging box'],
  ])('withholds a reply that holds %s, names it, and says so in the thread once', async (kind, secret) => {
    const w = world();
    const incident = await openedIncident(w);
    const posted = reply(incident, '1740823500.000400', `try this: ${secret}`);

    await capture(w).replyPosted(posted);
    await capture(w).replyPosted({ ...posted, delivery: { ...FIRST, retryNum: 1, retryReason: 'http_timeout' } });
    await w.deps.background.idle();

    expect(JSON.stringify(await timeline(w, incident.id))).not.toContain(secret);
    expect(await notes(w, incident)).toEqual([`[message not recorded: it held what looks like ${kind}]`]);
    expect(w.notifier.of('postNote').map((n) => n.text)).toEqual(['secret-withheld']);
  });

  it('withholds an edit that adds a secret, and keeps ordinary text', async () => {
    const w = world();
    const incident = await openedIncident(w);
    const edit = editOf(incident, '1740823500.000500', 'export PGPASSWORD=s3cret', 'password reset done');

    await capture(w).replyPosted(reply(incident, '1740823500.000500', 'password reset done, see https://example.com/reset?step=2'));
    await capture(w).replyEdited(edit);
    await w.deps.background.idle();

    expect(await notes(w, incident)).toEqual(['password reset done, see https://example.com/reset?step=2']);
    expect((await eventsOfType(w, incident.id, TimelineEventType.NoteEdited)).map((e) => e.summary)).toEqual(['[message not recorded: it held what looks like a password]']);
    expect(w.notifier.of('postNote')).toHaveLength(1);
  });

  it('records edits and deletions, each once', async () => {
    const w = world();
    const incident = await openedIncident(w);
    const edit = editOf(incident, '1740823500.000100', 'rotated', 'rotating');
    const deletion = { channel: CHANNEL, threadTs: incident.rootTs!, ts: '1740823500.000100', user: NON_APPROVER, text: 'rotated', at: edit.at, deletedAt: '2025-03-01T10:07:00.000Z', delivery: FIRST };

    for (let i = 0; i < 2; i++) {
      await capture(w).replyEdited(edit);
      await capture(w).replyDeleted(deletion);
    }

    expect((await eventsOfType(w, incident.id, TimelineEventType.NoteEdited)).map((e) => e.summary)).toEqual(['rotated']);
    expect(await eventsOfType(w, incident.id, TimelineEventType.NoteDeleted)).toHaveLength(1);
  });

  it('ignores replies in threads that are not an incident\'s', async () => {
    const w = world();
    const incident = await openedIncident(w);

    await capture(w).replyPosted({ ...reply(incident, '1740823500.000300', 'lunch?'), threadTs: '1740000000.000001' });

    expect(await notes(w, incident)).toEqual([]);
  });
});

describe('the "Add to incident timeline" shortcut', () => {
  it('adds a message of the channel\'s only open incident, once', async () => {
    const w = world();
    const incident = await openedIncident(w);

    await capture(w).shortcut(shortcutOn('1740823600.000100', undefined));
    await capture(w).shortcut(shortcutOn('1740823600.000100', undefined));

    const added = await eventsOfType(w, incident.id, TimelineEventType.NoteAdded);
    expect(added.map((e) => [e.actor, e.details.addedBy])).toEqual([[NON_APPROVER, 'U0ONCALL']]);
  });

  it('adds nothing when the channel has no single open incident to add to', async () => {
    const w = world();
    const first = await openedIncident(w);
    const second = await openedIncident(w);

    await capture(w).shortcut(shortcutOn('1740823600.000200', undefined));

    expect([...(await notes(w, first)), ...(await notes(w, second))]).toEqual([]);
  });

  it('adds a message of an incident\'s thread to that incident', async () => {
    const w = world();
    const first = await openedIncident(w);
    const second = await openedIncident(w);

    await capture(w).shortcut(shortcutOn('1740823600.000300', second.rootTs));

    expect(await notes(w, first)).toEqual([]);
    expect(await notes(w, second)).toEqual(['ssh key found on the runner']);
  });
});
