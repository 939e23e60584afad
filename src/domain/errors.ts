/**
 * Coded errors. Every error the bot knows how to explain carries a stable `code`;
 * one error handler turns codes into user text, anything else gets a correlation id.
 */
export class KeyIncidentError extends Error {
  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A key already has an open incident; carries the id of the one that won. */
export class IncidentAlreadyOpenError extends KeyIncidentError {
  constructor(
    readonly keyId: string,
    readonly existingIncidentId: string,
  ) {
    super('incident_already_open', `An incident is already open for ${keyId}: ${existingIncidentId}`);
  }
}

/** A freshly drawn incident id collided with an existing one (draw again). */
export class IncidentIdTakenError extends KeyIncidentError {
  constructor(readonly incidentId: string) {
    super('incident_id_taken', `Incident id ${incidentId} is taken`);
  }
}

/** An incident changed since it was read (optimistic concurrency lost). */
export class StaleIncidentError extends KeyIncidentError {
  constructor(
    readonly incidentId: string,
    readonly expectedVersion: number,
  ) {
    super('stale_incident', `Incident ${incidentId} changed since version ${expectedVersion}`);
  }
}

export class IncidentNotFoundError extends KeyIncidentError {
  constructor(readonly incidentId: string) {
    super('incident_not_found', `No incident ${incidentId}`);
  }
}

/**
 * An AWS call failed. `code` is AWS's own error code (AccessDenied, NoSuchEntity,
 * Throttling …), kept verbatim so users and the timeline see what AWS said.
 */
export class AwsError extends KeyIncidentError {
  constructor(
    code: string,
    message: string,
    readonly service: string,
    readonly operation: string,
    readonly requestId?: string,
    readonly retryable = false,
    options?: { cause?: unknown },
  ) {
    super(code, message, options);
  }
}

/** A Slack Web API call failed; `code` is Slack's `error` string (not_in_channel …). */
export class SlackError extends KeyIncidentError {
  constructor(
    code: string,
    readonly method: string,
    options?: { cause?: unknown },
  ) {
    super(code, `Slack ${method} failed: ${code}`, options);
  }
}

/** Another proposal for the same action and target is still pending. */
export class ActionAlreadyPendingError extends KeyIncidentError {
  constructor(
    readonly incidentId: string,
    readonly pendingActionId: string,
  ) {
    super('action_already_pending', `Action ${pendingActionId} of ${incidentId} is already pending`);
  }
}

/** An action changed since it was read (optimistic concurrency lost). */
export class StaleActionError extends KeyIncidentError {
  constructor(
    readonly incidentId: string,
    readonly actionId: string,
  ) {
    super('stale_action', `Action ${actionId} of ${incidentId} changed since it was read`);
  }
}

/**
 * The incident is no longer open or contained (it was resolved): a proposal or an approval
 * that would start executing is refused in the same write that checks it.
 */
export class IncidentNotActiveError extends KeyIncidentError {
  constructor(readonly incidentId: string) {
    super('incident_not_active', `Incident ${incidentId} is neither open nor contained`);
  }
}
