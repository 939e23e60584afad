/**
 * Slack ends showing what is recorded, even when a display went wrong after the record: a
 * render Slack refused (a rate limit outlasting the client's retries), and a render Slack
 * applied late, after a newer one, because the client gave up on it at its timeout and sent
 * it again. Once an action has settled nothing else shows its message again.
 */
import { describe, expect, it, vi } from 'vitest';
import { ActionKind } from '../../../src/domain/action/kinds.js';
import { ActionStatus } from '../../../src/domain/action/lifecycle.js';
import { SlackError } from '../../../src/domain/errors.js';
import { MEMORY_SLACK_TIMEOUT_MS } from '../../fakes/memory/index.js';
import { APPROVER, assessedIncident, decideOnly, disableHeldInIam, proposed, world } from './support.js';

const lastShown = (w: ReturnType<typeof world>) => w.notifier.of('updateProposal').at(-1)?.action?.status;

/** Lets the background run (without timers) until `done()` holds. */
async function until(done: () => boolean): Promise<void> {
  for (let turn = 0; !done(); turn++) {
    if (turn > 1000) throw new Error('never happened');
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe('a proposal message whose last render went wrong', () => {
  it('is shown again from the record when Slack refused that render', async () => {
    const { w, inIam, deciding } = await disableHeldInIam();
    await vi.waitFor(() => expect(lastShown(w)).toBe(ActionStatus.Executing));
    w.notifier.faults.fail('updateProposal', new SlackError('ratelimited', 'chat.update'));
    inIam.release();
    await deciding;
    await w.deps.background.idle();

    expect(lastShown(w)).toBe(ActionStatus.Succeeded);
  });

  it('is shown again when a render took as long as the Slack timeout, so that the request given up on cannot stay on top', async () => {
    // Only the repair's wait is in fake time: the test lets it pass once Slack has done its worst.
    vi.useFakeTimers({ toFake: ['setTimeout'] });
    try {
      const w = world();
      const incident = await assessedIncident(w);
      const action = await proposed(w, incident, ActionKind.DisableKey);
      const send = w.notifier.updateProposal.bind(w.notifier);
      let abandoned: (() => Promise<void>) | undefined;
      w.notifier.updateProposal = async (shownIncident, shown) => {
        if (abandoned) return send(shownIncident, shown);
        // Slack does not answer in time: the client gives up on the request and sends it again, which lands.
        w.clock.advance(MEMORY_SLACK_TIMEOUT_MS);
        abandoned = () => send(shownIncident, shown);
        return send(shownIncident, shown);
      };
      const inIam = w.iam.faults.hold('setAccessKeyStatus');
      const deciding = decideOnly(w, incident, action.id, APPROVER);
      await inIam.reached;
      await until(() => lastShown(w) === ActionStatus.Executing);
      inIam.release();
      await deciding;
      await until(() => lastShown(w) === ActionStatus.Succeeded);
      // Slack applies the request the client gave up on only now, over the render that followed it.
      await abandoned!();
      expect(lastShown(w)).toBe(ActionStatus.Executing);

      await vi.advanceTimersByTimeAsync(w.deps.display.repairAfterMs);
      await w.deps.background.idle();
      expect(lastShown(w)).toBe(ActionStatus.Succeeded);
    } finally {
      vi.useRealTimers();
    }
  });
});
