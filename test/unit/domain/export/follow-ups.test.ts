import { describe, expect, it } from 'vitest';
import { ActionKind } from '../../../../src/domain/action/kinds.js';
import { followUps } from '../../../../src/domain/export/follow-ups.js';
import { action, incident, KEY } from './builders.js';

describe('open follow-ups', () => {
  it('flags an active key, unrevoked sessions, no review and an unresolved incident when nothing was done', () => {
    const items = followUps(incident(), []);
    expect(items).toEqual([
      `Key ${KEY} is still active: nobody disabled or deleted it through the bot.`,
      'Sessions not revoked: temporary credentials obtained with the key keep working until they expire.',
      'CloudTrail not reviewed: run a review to see what the key was used for.',
      'The incident is not resolved yet.',
    ]);
  });

  it('asks to rotate a replacement key into the app, naming the new key and its secret', () => {
    const items = followUps(incident(), [action(ActionKind.CreateReplacementKey, {
      finishedMin: 4, outcome: { details: { newKeyId: 'AKIANEWKEY0000000000', secretArn: 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:x' } },
    })]);
    expect(items.find((x) => x.startsWith('Replacement key'))).toMatch(/AKIANEWKEY0000000000.*secret:x.*not yet rotated into the app/);
  });

  it('says a disabled key still needs deleting, and nothing once it is deleted', () => {
    const disabled = action(ActionKind.DisableKey, { finishedMin: 3 });
    expect(followUps(incident(), [disabled])[0]).toContain('disabled but not deleted');
    const items = followUps(incident({ status: 'resolved', review: { status: 'done', startedAt: '', days: 7, regions: [], findings: 0 } }), [
      disabled, action(ActionKind.DeleteKey, { finishedMin: 9 }), action(ActionKind.RevokeSessions, { finishedMin: 4 }),
    ]);
    expect(items).toEqual([]);
  });

  it('notices a key re-enabled after it was disabled', () => {
    const items = followUps(incident(), [action(ActionKind.DisableKey, { finishedMin: 3 }), action(ActionKind.EnableKey, { finishedMin: 8 })]);
    expect(items[0]).toContain('re-enabled and is active again');
  });

  it('does not count a dry run as done', () => {
    const items = followUps(incident(), [action(ActionKind.DisableKey, { finishedMin: 3, outcome: { result: 'would-have' } })]);
    expect(items[0]).toContain('still active');
    expect(items).toContain(`Disable access key (${KEY}) was a dry run: nothing changed in AWS.`);
  });

  it('lists failures not later retried, pending approvals and review findings', () => {
    const items = followUps(incident({ review: { status: 'done', startedAt: '', days: 7, regions: [], findings: 3, problems: ['us-east-1: AccessDenied'] } }), [
      action(ActionKind.RevokeSessions, { finishedMin: 2, outcome: { result: 'failed', message: 'AccessDenied on PutUserPolicy' } }),
      action(ActionKind.DeleteKey, { approvers: ['U0APPROVER'] }),
    ]);
    expect(items).toContain('Revoke active sessions (deploy-bot) failed: AccessDenied on PutUserPolicy');
    expect(items).toContain(`Delete access key (${KEY}) is awaiting approval (1 of 2).`);
    expect(items).toContain('3 CloudTrail finding(s) to check (see CloudTrail findings).');
    expect(items).toContain('The review could not read: us-east-1: AccessDenied.');
  });
});
