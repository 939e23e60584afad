import { describe, expect, it } from 'vitest';
import { ActionKind } from '../../../src/domain/action/kinds.js';
import { SlackError } from '../../../src/domain/errors.js';
import {
  APPROVER, assessedIncident, CHANNEL, decide, exportAs, exposedKey, findAs, listAs, NON_APPROVER, note, ONCALL, open, openedIncident, proposed, world,
} from './support.js';

const ELSEWHERE = 'C0ELSEWHERE';

describe('who sees an incident', () => {
  it('shows an approver any incident from any channel, without asking who is in it', async () => {
    const w = world();
    const incident = await openedIncident(w);
    expect(await findAs(w, incident.id, { userId: APPROVER, channelId: ELSEWHERE })).toMatchObject({ kind: 'found', incident: { id: incident.id } });
    expect(await findAs(w, 'KI-000000', { userId: APPROVER, channelId: ELSEWHERE })).toEqual({ kind: 'missing' });
    expect(w.members.faults.calls).toEqual([]);
  });

  it('shows anyone else an incident only in its own channel, as a member of it; otherwise as if there were none', async () => {
    const w = world();
    const incident = await openedIncident(w);
    const inChannel = { userId: NON_APPROVER, channelId: CHANNEL };
    expect(await findAs(w, incident.id, inChannel)).toEqual({ kind: 'hidden' });
    w.members.join(CHANNEL, NON_APPROVER);
    w.members.join(ELSEWHERE, NON_APPROVER);
    expect(await findAs(w, incident.keyId, inChannel)).toMatchObject({ kind: 'found', incident: { id: incident.id } });
    expect(await findAs(w, incident.id, { userId: NON_APPROVER, channelId: ELSEWHERE })).toEqual({ kind: 'hidden' });
    expect(await findAs(w, 'KI-000000', inChannel)).toEqual({ kind: 'hidden' });
  });

  it('fails closed, saying why, when Slack does not say who is in the channel', async () => {
    const w = world();
    const incident = await openedIncident(w);
    w.members.join(CHANNEL, NON_APPROVER);
    w.members.faults.fail('isMember', new SlackError('channel_not_found', 'conversations.members'), 2);
    const reason = { code: 'membership-unverified', channelId: CHANNEL, slackError: 'channel_not_found' };
    expect(await findAs(w, incident.id, { userId: NON_APPROVER, channelId: CHANNEL })).toEqual({ kind: 'unverified', reason });
    expect(await listAs(w, { userId: NON_APPROVER, channelId: CHANNEL })).toEqual({ kind: 'unverified', reason });
  });
});

describe('who lists which incidents', () => {
  it('lists every incident to an approver, and to anyone else only those of the channel asked from, as a member', async () => {
    const w = world();
    const here = await openedIncident(w);
    const there = await open(w, exposedKey(w), { channelId: ELSEWHERE });
    if (there.kind !== 'opened') throw new Error(there.kind);
    const ids = async (userId: string, channelId: string) => {
      const outcome = await listAs(w, { userId, channelId });
      return outcome.kind === 'listed' ? outcome.listing.open.map((l) => l.incident.id).sort() : outcome.kind;
    };
    expect(await ids(APPROVER, 'C0ANYWHERE')).toEqual([here.id, there.incident.id].sort());
    expect(await ids(NON_APPROVER, CHANNEL)).toEqual([]);
    w.members.join(CHANNEL, NON_APPROVER);
    expect(await ids(NON_APPROVER, CHANNEL)).toEqual([here.id]);
    expect(await ids(NON_APPROVER, ELSEWHERE)).toEqual([]);
    expect(w.members.faults.calls.map((c) => c.args)).toEqual([[CHANNEL, NON_APPROVER], [CHANNEL, NON_APPROVER], [ELSEWHERE, NON_APPROVER]]);
  });
});

describe('who may export', () => {
  it('does not count a refused click as taking part', async () => {
    const w = world();
    const incident = await assessedIncident(w);
    const action = await proposed(w, incident, ActionKind.DisableKey);
    w.members.join(CHANNEL, NON_APPROVER);
    expect(await decide(w, incident, action.id, NON_APPROVER)).toMatchObject({ kind: 'refused' });
    expect(await exportAs(w, incident, NON_APPROVER)).toEqual({ kind: 'refused', reason: { code: 'not-a-participant', incidentId: incident.id } });
  });

  it('lets someone who took part export only while a member of the incident\'s channel', async () => {
    const w = world();
    const incident = await openedIncident(w);
    await note(w, incident, ONCALL, 'paged the owner');
    expect(await exportAs(w, incident, ONCALL)).toMatchObject({ kind: 'refused', reason: { code: 'not-a-participant' } });
    w.members.join(CHANNEL, ONCALL);
    expect(await exportAs(w, incident, ONCALL)).toMatchObject({ kind: 'uploaded' });
  });
});
