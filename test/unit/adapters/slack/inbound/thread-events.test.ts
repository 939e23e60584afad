import { describe, expect, it } from 'vitest';
import {
  deliveryOf, type MessageShape, type MessageShortcutShape, shortcutUsedOf, threadEventOf, tsToIso,
} from '../../../../../src/adapters/slack/inbound/thread-events.js';
import type { Delivery } from '../../../../../src/ports/thread-capture.js';
import { DEFAULT_SLACK_IDENTITY as IDENTITY } from '../../../../fakes/fake-slack.js';
import { TEST_CHANNEL, TEST_USER } from '../../../../support/slack-requests.js';
import { replyDeletedEvent, replyEditedEvent, replyEvent, replyMessage } from '../../../../support/slack-thread-events.js';

const ROOT_TS = '1732900000.000100';
const TS = '1732900100.000200';
const DELIVERY: Delivery = { eventId: 'Ev0TEST', eventTime: '2024-11-29T17:08:20.000Z', retryNum: 0, retryReason: undefined };
const BOT = IDENTITY.botUserId;

/** The fields every reply event of TEST_USER's reply at TS in the root's thread carries. */
const REPLY = { channel: TEST_CHANNEL.id, threadTs: ROOT_TS, ts: TS, user: TEST_USER.id, at: tsToIso(TS), delivery: DELIVERY };

const parse = (event: Record<string, unknown>) => threadEventOf(event as MessageShape, DELIVERY, BOT);

describe('tsToIso', () => {
  it('reads a Slack ts as ISO time to the millisecond', () => {
    expect(tsToIso('1732900000.000100')).toBe('2024-11-29T17:06:40.000Z');
    expect(tsToIso('1732900600.123456')).toBe('2024-11-29T17:16:40.123Z');
    expect(tsToIso('1732900600')).toBe('2024-11-29T17:16:40.000Z');
  });
});

describe('deliveryOf', () => {
  it('takes the event id and time from the envelope and the retry from Bolt', () => {
    expect(deliveryOf({ event_id: 'Ev1', event_time: 1732900100 }, { retryNum: 2, retryReason: 'http_timeout' }))
      .toEqual({ eventId: 'Ev1', eventTime: '2024-11-29T17:08:20.000Z', retryNum: 2, retryReason: 'http_timeout' });
  });

  it('counts a delivery without retry headers as the first', () => {
    expect(deliveryOf({}, {})).toEqual({ eventId: undefined, eventTime: undefined, retryNum: 0, retryReason: undefined });
  });
});

describe('threadEventOf', () => {
  it('reads a person\'s reply in a thread as posted, with its time and delivery', () => {
    expect(parse(replyEvent({ threadTs: ROOT_TS, ts: TS, text: 'rotated the key in CI', clientMsgId: 'c0ffee' })))
      .toEqual({ kind: 'posted', event: { ...REPLY, text: 'rotated the key in CI', clientMsgId: 'c0ffee' } });
  });

  it('takes a reply also sent to the channel, or with a file, as a reply', () => {
    for (const subtype of ['thread_broadcast', 'file_share']) {
      expect(parse({ ...replyEvent({ threadTs: ROOT_TS, ts: TS, text: 'x' }), subtype })?.kind).toBe('posted');
    }
  });

  it('ignores top-level messages, thread parents, bots, the bot itself, other subtypes and channel-less events', () => {
    const { thread_ts: _thread, ...topLevel } = replyEvent({ threadTs: ROOT_TS, ts: TS, text: 'lunch?' });
    const { channel: _channel, ...noChannel } = replyEvent({ threadTs: ROOT_TS, ts: TS, text: 'x' });
    const ignored = [
      topLevel,
      noChannel,
      replyEvent({ threadTs: TS, ts: TS, text: 'parent with replies' }),
      { ...replyEvent({ threadTs: ROOT_TS, ts: TS, text: 'deploy finished' }), subtype: 'bot_message', bot_id: 'B0OTHER', user: undefined },
      { ...replyEvent({ threadTs: ROOT_TS, ts: TS, text: 'from an integration', user: 'U0OTHERBOT' }), bot_id: 'B0OTHER' },
      replyEvent({ threadTs: ROOT_TS, ts: TS, text: 'assessment', user: BOT }),
      { type: 'message', subtype: 'channel_join', user: 'U0NEWBIE', text: 'joined', ts: TS, channel: TEST_CHANNEL.id },
    ];
    expect(ignored.map(parse)).toEqual(ignored.map(() => undefined));
  });

  it('reads an edit of a reply with its edit time and the text before', () => {
    const editTs = '1732900200.000000';
    expect(parse(replyEditedEvent({ threadTs: ROOT_TS, ts: TS, text: 'rotated both keys', previousText: 'rotated the key', editTs, clientMsgId: 'c0ffee' }))).toEqual({
      kind: 'edited',
      event: { ...REPLY, text: 'rotated both keys', previousText: 'rotated the key', editedAt: '2024-11-29T17:10:00.000Z', clientMsgId: 'c0ffee' },
    });
  });

  it('ignores Slack\'s own updates of a message (no `edited`) and the bot\'s edits', () => {
    const slackUpdate = {
      type: 'message', subtype: 'message_changed', channel: TEST_CHANNEL.id, ts: TS,
      message: { ...replyMessage({ threadTs: ROOT_TS, ts: '1732900050.000100', text: 'reply' }), reply_count: 3 },
    };
    const botEdit = replyEditedEvent({ threadTs: ROOT_TS, ts: TS, text: 'progress 2/3', previousText: 'progress 1/3', editTs: '1732900200.000000', user: BOT });
    expect(parse(slackUpdate)).toBeUndefined();
    expect(parse(botEdit)).toBeUndefined();
  });

  it('reads a deleted reply with its author, last text and deletion time', () => {
    expect(parse(replyDeletedEvent({ threadTs: ROOT_TS, ts: TS, text: 'oops, wrong thread', deleteTs: '1732900300.000000' })))
      .toEqual({ kind: 'deleted', event: { ...REPLY, text: 'oops, wrong thread', deletedAt: '2024-11-29T17:11:40.000Z' } });
  });

  it('ignores deleted thread parents and deleted bot messages', () => {
    const parent = replyDeletedEvent({ threadTs: TS, ts: TS, text: 'parent', deleteTs: '1732900300.000000' });
    const own = replyDeletedEvent({ threadTs: ROOT_TS, ts: TS, text: 'assessment', user: BOT, deleteTs: '1732900300.000000' });
    const other = { ...replyDeletedEvent({ threadTs: ROOT_TS, ts: TS, text: 'deploy', deleteTs: '1732900300.000000' }), previous_message: { ...replyMessage({ threadTs: ROOT_TS, ts: TS, text: 'deploy' }), bot_id: 'B0OTHER' } };
    expect([parent, own, other].map(parse)).toEqual([undefined, undefined, undefined]);
  });
});

describe('shortcutUsedOf', () => {
  const shortcut = (message: MessageShape): MessageShortcutShape => ({
    channel: { id: TEST_CHANNEL.id },
    user: { id: 'U0RESPONDER' },
    message,
    message_ts: TS,
    action_ts: '1732900600.123456',
    trigger_id: 'trigger-1',
    response_url: 'https://hooks.example/response',
  });

  it('reads the message, when it was edited, and who added it when', () => {
    const message = { ...replyMessage({ threadTs: ROOT_TS, ts: TS, text: 'saw the key in a public gist', user: 'U0WITNESS' }), edited: { user: 'U0WITNESS', ts: '1732900500.000000' } };
    expect(shortcutUsedOf(shortcut(message))).toEqual({
      channel: TEST_CHANNEL.id,
      threadTs: ROOT_TS,
      ts: TS,
      user: 'U0WITNESS',
      text: 'saw the key in a public gist',
      at: tsToIso(TS),
      editedAt: '2024-11-29T17:15:00.000Z',
      addedBy: 'U0RESPONDER',
      addedAt: '2024-11-29T17:16:40.123Z',
      triggerId: 'trigger-1',
      responseUrl: 'https://hooks.example/response',
    });
  });

  it('falls back to the payload\'s message_ts, and leaves out what the message lacks', () => {
    const used = shortcutUsedOf(shortcut({ type: 'message' }));
    expect(used).toMatchObject({ ts: TS, at: tsToIso(TS), threadTs: undefined, user: undefined, text: '', editedAt: undefined });
  });
});
