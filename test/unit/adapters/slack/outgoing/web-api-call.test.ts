import { describe, expect, it } from 'vitest';
import { SlackError } from '../../../../../src/domain/errors.js';
import { callWebApi, slackError } from '../../../../../src/adapters/slack/outgoing/web-api-call.js';

describe('callWebApi', () => {
  it('returns what the call answers', async () => {
    await expect(callWebApi('chat.postMessage', async () => ({ ok: true, ts: '1.2' }))).resolves.toEqual({ ok: true, ts: '1.2' });
  });

  it('turns a Web API error into a SlackError with Slack\'s error string and the method', async () => {
    const failure = Object.assign(new Error('An API error occurred: not_in_channel'), { code: 'slack_webapi_platform_error', data: { ok: false, error: 'not_in_channel' } });
    const err = await callWebApi('chat.postMessage', () => Promise.reject(failure)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SlackError);
    expect(err).toMatchObject({ code: 'not_in_channel', method: 'chat.postMessage', cause: failure });
  });

  it('keeps a transport failure\'s own code', async () => {
    const failure = Object.assign(new Error('socket hang up'), { code: 'slack_webapi_request_error' });
    await expect(callWebApi('chat.update', () => Promise.reject(failure))).rejects.toMatchObject({ code: 'slack_webapi_request_error', method: 'chat.update' });
  });
});

describe('slackError', () => {
  it('falls back to unknown_error, or to the code it is given, when the failure has none', () => {
    expect(slackError('chat.update', new Error('boom')).code).toBe('unknown_error');
    expect(slackError('files.upload_url', new Error('boom'), 'upload_failed')).toMatchObject({ code: 'upload_failed', method: 'files.upload_url' });
  });
});
