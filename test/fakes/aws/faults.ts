/**
 * Errors the fake answers with, and the test-controlled fault plan (`failNext`, `deny`).
 * Statuses follow what IAM and STS send: AccessDenied 403, NoSuchEntity 404, Throttling 400
 * ("Rate exceeded", the code the SDK retries), conflicts 409, service failures 500. Secrets
 * Manager (JSON) answers its client errors with 400 and InternalServiceError with 500.
 */

const DEFAULT_STATUS: Readonly<Record<string, number>> = {
  AccessDenied: 403,
  MissingAuthenticationToken: 403,
  NoSuchEntity: 404,
  Throttling: 400,
  EntityAlreadyExists: 409,
  DeleteConflict: 409,
  LimitExceeded: 409,
  ConcurrentModification: 409,
  ServiceFailure: 500,
  InternalFailure: 500,
  ServiceUnavailable: 503,
  MalformedPolicyDocument: 400,
  InternalServiceError: 500,
};

const DEFAULT_MESSAGE: Readonly<Record<string, string>> = {
  Throttling: 'Rate exceeded',
  ServiceFailure: 'Service Failure',
  InternalFailure: 'An internal error occurred.',
  ServiceUnavailable: 'Service Unavailable',
  ThrottlingException: 'Rate exceeded',
  InternalServiceError: 'An error occurred on the server side.',
  TooManyRequestsException: 'You have sent too many requests in too short a period of time. Try again later.',
};

/** An error answer: thrown by handlers, rendered as `<ErrorResponse>`. */
export class FakeAwsFault extends Error {
  readonly status: number;

  constructor(
    readonly code: string,
    message?: string,
    status?: number,
    /** Members a JSON error carries besides Message (Organizations' `Reason`); awsQuery errors have none. */
    readonly fields: Readonly<Record<string, string>> = {},
  ) {
    super(message ?? DEFAULT_MESSAGE[code] ?? code);
    this.status = status ?? DEFAULT_STATUS[code] ?? 400;
  }

  get type(): 'Sender' | 'Receiver' {
    return this.status >= 500 ? 'Receiver' : 'Sender';
  }
}

/** The NoSuchEntity answer with IAM's wording for `what` ("user", "group", "user policy" …). */
export function noSuchEntity(what: string, name: string): FakeAwsFault {
  return new FakeAwsFault('NoSuchEntity', `The ${what} with name ${name} cannot be found.`);
}

/** IAM's and STS's answer to missing or out-of-range parameters: every violation, `; `-separated. */
export function validationError(...details: readonly string[]): FakeAwsFault {
  const count = `${details.length} validation error${details.length === 1 ? '' : 's'}`;
  return new FakeAwsFault('ValidationError', `${count} detected: ${details.join('; ')}`);
}

export interface FailOptions {
  /** How many calls fail before the action works again (default 1). */
  readonly times?: number;
  /** HTTP status; defaults to the one AWS uses for `code`. */
  readonly status?: number;
  readonly message?: string;
}

/** An error answer to give: AWS code, and optionally status and message. */
export interface FailureSpec {
  readonly code: string;
  readonly status?: number | undefined;
  readonly message?: string | undefined;
}

interface PlannedFailure extends FailureSpec {
  remaining: number;
}

/** `*` matches every action. */
export const ANY_ACTION = '*';

/** Failures the test asked for, consumed call by call. */
export class FaultPlan {
  private readonly planned: { action: string; failure: PlannedFailure }[] = [];
  private readonly denied = new Set<string>();

  failNext(action: string, code: string, options: FailOptions = {}): void {
    const failure = { remaining: options.times ?? 1, code, status: options.status, message: options.message };
    this.planned.push({ action, failure });
  }

  deny(action: string): void {
    this.denied.add(action);
  }

  allow(action: string): void {
    this.denied.delete(action);
  }

  isDenied(action: string): boolean {
    return this.denied.has(action) || this.denied.has(ANY_ACTION);
  }

  /** The planned failure for this call, if any; each use counts down one time. */
  take(action: string): FailureSpec | undefined {
    const index = this.planned.findIndex((p) => p.action === action || p.action === ANY_ACTION);
    if (index < 0) return undefined;
    const { failure } = this.planned[index]!;
    failure.remaining -= 1;
    if (failure.remaining <= 0) this.planned.splice(index, 1);
    return failure;
  }

  clear(): void {
    this.planned.length = 0;
    this.denied.clear();
  }
}
