/**
 * Holding a request to simulate a crash around an AWS call. `hold(action, { apply })` catches
 * the next request for `action` (`*`: any action), or the next one `match` accepts:
 * - `apply: false` — the request arrives, nothing changes, no answer: as if the app stopped
 *   between its intent and the call reaching AWS. `release()` then applies and answers it.
 * - `apply: true` — the change is made but the answer is withheld: as if the app stopped
 *   between the call and its result. `release()` sends the answer.
 * Until released, the request waits; when the client goes away (its connection is destroyed)
 * the fake gives up on it without answering, and swallows the SDK's retries of that call
 * (see `FakeAws.hold`).
 */

export interface HoldOptions {
  /** Make the change before withholding the answer (true), or withhold everything (false). */
  readonly apply: boolean;
  /** Only a request this accepts is caught (e.g. one key's, or one process's); others pass. */
  readonly match?: (request: HeldRequest) => boolean;
}

/** The request a hold caught, as recorded (secret values redacted). */
export interface HeldRequest {
  readonly action: string;
  readonly params: Readonly<Record<string, string>>;
  /** The `app/<id>` of the request's User-Agent (the SDK's `AWS_SDK_UA_APP_ID`), when it has one. */
  readonly agent?: string;
}

/** A test's grip on one held request. */
export interface HoldHandle {
  readonly action: string;
  readonly apply: boolean;
  /** Resolves when the request arrives (with `apply: true`, once the change is made). */
  readonly arrived: Promise<HeldRequest>;
  /** Lets the request go on; harmless before it arrives (it then passes straight through) or twice. */
  release(): void;
  /** Withdraws a hold no request has taken yet; harmless once taken. */
  cancel(): void;
}

/** One hold: created by the test, taken by the first matching request. */
export class Hold implements HoldHandle {
  readonly arrived: Promise<HeldRequest>;
  private readonly released: Promise<void>;
  private resolveArrived!: (request: HeldRequest) => void;
  private resolveReleased!: () => void;

  constructor(
    readonly action: string,
    readonly apply: boolean,
    readonly match: ((request: HeldRequest) => boolean) | undefined,
    private readonly withdraw: (hold: Hold) => void,
  ) {
    this.arrived = new Promise((resolve) => (this.resolveArrived = resolve));
    this.released = new Promise((resolve) => (this.resolveReleased = resolve));
  }

  release(): void {
    this.resolveReleased();
  }

  cancel(): void {
    this.withdraw(this);
  }

  /** Marks the request arrived and waits for `release()` or `gone` (the client left); true if released. */
  async holdUntilReleased(request: HeldRequest, gone: Promise<void>): Promise<boolean> {
    this.resolveArrived(request);
    return Promise.race([this.released.then(() => true), gone.then(() => false)]);
  }
}

/** A hold for this action catches a request for any action. */
const ANY_HELD_ACTION = '*';

/** Holds not yet taken, in the order the test made them. */
export class HoldPlan {
  private readonly waiting: Hold[] = [];

  hold(action: string, { apply, match }: HoldOptions): HoldHandle {
    const hold = new Hold(action, apply, match, (h) => this.remove(h));
    this.waiting.push(hold);
    return hold;
  }

  /** The oldest hold that catches `request`, removed from the plan; undefined when there is none. */
  take(request: HeldRequest): Hold | undefined {
    const index = this.waiting.findIndex((h) => (h.action === request.action || h.action === ANY_HELD_ACTION) && (h.match?.(request) ?? true));
    return index < 0 ? undefined : this.waiting.splice(index, 1)[0];
  }

  private remove(hold: Hold): void {
    const index = this.waiting.indexOf(hold);
    if (index >= 0) this.waiting.splice(index, 1);
  }

  clear(): void {
    this.waiting.length = 0;
  }
}
