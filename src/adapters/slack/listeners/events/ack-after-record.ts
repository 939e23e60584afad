/**
 * Events API deliveries are acknowledged only once their listeners have recorded them. Bolt
 * acks an event before its listeners run, in HTTP mode and in Socket Mode alike, so a record
 * that failed would be lost: this receiver wrapper hands Bolt a no-op ack for events, and acks
 * for real afterwards, unless a listener marked the delivery unrecorded. Then the receiver
 * answers it as failed (HTTP 500; no Socket Mode ack) and Slack delivers it again (up to 3
 * times); records are idempotent by message, so a redelivery adds nothing twice.
 */
import type { App, Receiver, ReceiverEvent } from '@slack/bolt';

const unrecorded = new WeakSet<object>();

/** A listener could not record this delivery (`body` as Bolt handed it over): it is not acknowledged. */
export function markUnrecorded(body: object): void {
  unrecorded.add(body);
}

/** Thrown to the receiver for a delivery left unacknowledged. */
class EventNotRecordedError extends Error {
  constructor(eventId: unknown) {
    super(`event ${String(eventId)} was not recorded: left for Slack to deliver again`);
    this.name = 'EventNotRecordedError';
  }
}

async function processAfterRecord(app: App, event: ReceiverEvent): Promise<void> {
  if (event.body.type !== 'event_callback') return app.processEvent(event);
  await app.processEvent({ ...event, ack: async () => {} });
  if (unrecorded.has(event.body)) throw new EventNotRecordedError(event.body.event_id);
  await event.ack();
}

/** `inner`, with Events API deliveries acknowledged after their listeners recorded them. */
export function ackEventsAfterRecord(inner: Receiver): Receiver {
  return {
    init: (app) => inner.init({ processEvent: (event: ReceiverEvent) => processAfterRecord(app, event) } as unknown as App),
    start: (...args: unknown[]) => inner.start(...args),
    stop: (...args: unknown[]) => inner.stop(...args),
  };
}
