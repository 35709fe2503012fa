/** The kinds of failure the sandbox can inject. */
export type FaultKind = "status" | "reset" | "delay" | "slow-body" | "redirect";

/** Which requests a fault applies to, and how many of them. */
export interface FaultScope {
  /** Only requests with this method (any case). @defaultValue every method */
  readonly method?: string;
  /** Only requests whose path (no query) equals this string or matches this RegExp. @defaultValue every API path */
  readonly path?: string | RegExp;
  /** How many matching requests to fault; `Infinity` until `clear()`. @defaultValue 1, or `Infinity` with `fraction` */
  readonly times?: number;
  /**
   * Fault this share of the matching requests, spread evenly and deterministically: `0.25` faults the 4th, 8th,
   * 12th… matching request, so a test gets the same requests faulted on every run.
   */
  readonly fraction?: number;
}

/** An error response in OnceHub's shape: `status` 4xx or 5xx, the matching OnceHub body unless `body` is given. */
export interface StatusFault {
  readonly kind: "status";
  readonly status: number;
  /** A `Retry-After` header: seconds, or an HTTP date. @defaultValue none (OnceHub documents none) */
  readonly retryAfter?: number | string;
  /** The body to send instead of OnceHub's (an object is sent as JSON). */
  readonly body?: unknown;
}

/** The socket is destroyed (TCP reset) before any response byte is written. */
export interface ResetFault {
  readonly kind: "reset";
}

/** The response headers are held back for `ms`; then the request is served as usual. */
export interface DelayFault {
  readonly kind: "delay";
  readonly ms: number;
}

/** The headers are sent at once; the body is trickled out in pieces over `ms`. */
export interface SlowBodyFault {
  readonly kind: "slow-body";
  readonly ms: number;
}

/** A redirect (`status`, 307 by default) to another origin, by default the same path on the plain-HTTP listener. */
export interface RedirectFault {
  readonly kind: "redirect";
  /** @defaultValue `plainUrl` + the request's path and query */
  readonly location?: string;
  /** @defaultValue 307 */
  readonly status?: 301 | 302 | 303 | 307 | 308;
}

/** A fault to inject: what goes wrong, and for which requests. */
export type FaultSpec = FaultScope & (StatusFault | ResetFault | DelayFault | SlowBodyFault | RedirectFault);

/** A fault that was injected: how often it fired, and a way to withdraw it early. */
export interface InjectedFault {
  readonly spec: FaultSpec;
  /** How many requests it has faulted so far. */
  readonly hits: number;
  /** How many more requests it will fault (`Infinity` for an open-ended `fraction`). */
  readonly remaining: number;
  /** Withdraws the fault; requests already faulted stay so. */
  remove(): void;
}

/**
 * Failure injection for the sandbox's API routes.
 *
 * Each request gets at most one fault: the first injected one that matches it (by method and path) and is due
 * (by `times` and `fraction`). Faults come before authentication, so they hit a request whatever key it carries.
 *
 * @example
 * ```ts
 * sandbox.faults.inject({ kind: "status", status: 503, times: 2 });   // the next two API requests get a 503
 * sandbox.faults.inject({ kind: "reset", path: "/v2/bookings" });     // the next bookings request is reset
 * sandbox.faults.inject({ kind: "delay", ms: 2_000, fraction: 0.1 }); // every 10th request waits 2 s
 * sandbox.faults.clear();
 * ```
 */
export interface SandboxFaults {
  /** Adds a fault after those already injected. Throws a `RangeError` for an impossible spec. */
  inject(spec: FaultSpec): InjectedFault;
  /** Withdraws every fault. */
  clear(): void;
  /** How many more requests the injected faults will fault (`Infinity` when one is open-ended). */
  readonly pending: number;
}

class ActiveFault implements InjectedFault {
  hits = 0;
  remaining: number;
  #credit = 0;
  readonly #method: string | undefined;

  constructor(
    readonly spec: FaultSpec,
    private readonly owner: FaultInjector,
  ) {
    this.remaining = spec.times ?? (spec.fraction === undefined ? 1 : Infinity);
    this.#method = spec.method?.toUpperCase();
  }

  matches(method: string, path: string): boolean {
    if (this.#method !== undefined && this.#method !== method) return false;
    const want = this.spec.path;
    if (want === undefined) return true;
    if (typeof want === "string") return want === path;
    want.lastIndex = 0;
    return want.test(path);
  }

  /** Counts a matching request; true when this one is to be faulted. */
  due(): boolean {
    const fraction = this.spec.fraction;
    if (fraction === undefined) return true;
    this.#credit += fraction;
    // The epsilon absorbs float drift, so 0.1 fires on exactly every 10th request.
    if (this.#credit < 1 - 1e-9) return false;
    this.#credit -= 1;
    return true;
  }

  remove(): void {
    this.owner.remove(this);
  }
}

function validate(spec: FaultSpec): void {
  const fail = (what: string): never => {
    throw new RangeError(`Invalid sandbox fault (${JSON.stringify(spec.kind)}): ${what}.`);
  };
  if (
    spec.times !== undefined &&
    !((Number.isInteger(spec.times) || spec.times === Infinity) && spec.times > 0)
  ) {
    fail("times must be a positive integer or Infinity");
  }
  if (spec.fraction !== undefined && !(spec.fraction > 0 && spec.fraction <= 1))
    fail("fraction must be in (0, 1]");
  switch (spec.kind) {
    case "status":
      if (!Number.isInteger(spec.status) || spec.status < 400 || spec.status > 599)
        fail("status must be 400-599");
      break;
    case "delay":
    case "slow-body":
      if (!(Number.isFinite(spec.ms) && spec.ms >= 0)) fail("ms must be a finite number >= 0");
      break;
    case "redirect":
      if (spec.status !== undefined && ![301, 302, 303, 307, 308].includes(spec.status))
        fail("status must be a redirect");
      if (spec.location !== undefined) {
        try {
          new URL(spec.location);
        } catch {
          fail("location must be an absolute URL");
        }
      }
      break;
    case "reset":
      break;
    default:
      fail("kind must be status, reset, delay, slow-body or redirect");
  }
}

/** The sandbox's {@link SandboxFaults}, with the lookup its request pipeline uses. */
export class FaultInjector implements SandboxFaults {
  #faults: ActiveFault[] = [];

  inject(spec: FaultSpec): InjectedFault {
    validate(spec);
    const fault = new ActiveFault({ ...spec }, this);
    this.#faults.push(fault);
    return fault;
  }

  clear(): void {
    this.#faults = [];
  }

  get pending(): number {
    return this.#faults.reduce((sum, fault) => sum + fault.remaining, 0);
  }

  remove(fault: ActiveFault): void {
    this.#faults = this.#faults.filter((candidate) => candidate !== fault);
  }

  /** The fault for this request, if one is due; counts it as fired. */
  take(method: string, path: string): FaultSpec | undefined {
    if (this.#faults.length === 0) return undefined;
    for (const fault of this.#faults) {
      if (!fault.matches(method, path) || !fault.due()) continue;
      fault.hits++;
      fault.remaining--;
      if (fault.remaining <= 0) this.remove(fault);
      return fault.spec;
    }
    return undefined;
  }
}
