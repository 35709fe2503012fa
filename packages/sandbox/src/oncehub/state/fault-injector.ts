import {
  checkDelay,
  FaultQueue,
  isHeaderSafe,
  type FaultCount,
  type QueuedFault,
} from "../../state/fault-queue.js";

/** The kinds of failure the sandbox can inject. */
export type FaultKind = "status" | "reset" | "delay" | "slow-body" | "redirect";

/** Which requests a fault applies to, and how many of them. */
export interface FaultScope extends FaultCount {
  /** Only requests with this method (any case). @defaultValue every method */
  readonly method?: string;
  /** Only requests whose path (no query) equals this string or matches this RegExp. @defaultValue every API path */
  readonly path?: string | RegExp;
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

/**
 * A fault to inject: what goes wrong (`kind` and its fields), and for which requests (`method`, `path`,
 * `times`, `fraction`). A field its kind does not take is refused.
 *
 * @example
 * ```ts
 * const outage: FaultSpec[] = [{ kind: "status", status: 503, times: 2 }, { kind: "reset", path: "/v2/test" }];
 * outage.forEach((spec) => sandbox.faults.inject(spec));
 * ```
 */
export type FaultSpec = FaultScope & (StatusFault | ResetFault | DelayFault | SlowBodyFault | RedirectFault);

/** A fault that was injected: how often it fired, and a way to withdraw it early. */
export type InjectedFault = QueuedFault<FaultSpec>;

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

/** What a sandbox fault is matched against: the request's method (upper case) and path (no query). */
interface FaultTarget {
  readonly method: string;
  readonly path: string;
}

function check(spec: FaultSpec, fail: (problem: string) => never): void {
  if (spec.method !== undefined && !(typeof spec.method === "string" && /^[A-Za-z]+$/.test(spec.method)))
    fail("method must be an HTTP method such as GET");
  if (spec.path !== undefined && typeof spec.path !== "string" && !(spec.path instanceof RegExp))
    fail("path must be a string or a RegExp");
  switch (spec.kind) {
    case "status":
      if (!Number.isInteger(spec.status) || spec.status < 400 || spec.status > 599)
        fail("status must be 400-599");
      checkRetryAfter(spec.retryAfter, fail);
      checkBody(spec.body, fail);
      break;
    case "delay":
    case "slow-body":
      checkDelay(spec.ms, "ms", fail);
      break;
    case "redirect":
      if (spec.status !== undefined && ![301, 302, 303, 307, 308].includes(spec.status))
        fail("status must be a redirect");
      if (spec.location !== undefined && !isAbsoluteUrl(spec.location))
        fail("location must be an absolute URL, without control characters");
      break;
    case "reset":
      break;
    default:
      fail("kind must be status, reset, delay, slow-body or redirect");
  }
}

// What is sent as a header or a body is checked here, when the fault is injected: a value that could not be
// written would fail the request pipeline later, inside the server, where no test sees why.
function checkRetryAfter(value: unknown, fail: (problem: string) => never): void {
  if (value === undefined) return;
  const seconds = typeof value === "number" && Number.isInteger(value) && value >= 0;
  const date = typeof value === "string" && value !== "" && isHeaderSafe(value);
  if (!seconds && !date) fail("retryAfter must be whole seconds >= 0 or an HTTP date");
}

function checkBody(body: unknown, fail: (problem: string) => never): void {
  if (body === undefined || typeof body === "string") return;
  let json: string | undefined;
  try {
    json = JSON.stringify(body);
  } catch {
    // Circular, or a BigInt.
  }
  if (json === undefined) fail("body must be a string or a value JSON can serialize");
}

function isAbsoluteUrl(value: unknown): boolean {
  if (typeof value !== "string" || !isHeaderSafe(value)) return false;
  try {
    new URL(value);
    return true;
  } catch {
    return false;
  }
}

const KIND_FIELDS: Readonly<Record<FaultKind, readonly string[]>> = {
  status: ["status", "retryAfter", "body"],
  reset: [],
  delay: ["ms"],
  "slow-body": ["ms"],
  redirect: ["location", "status"],
};

function matches(spec: FaultSpec, request: FaultTarget): boolean {
  if (spec.method !== undefined && spec.method.toUpperCase() !== request.method) return false;
  const want = spec.path;
  if (want === undefined) return true;
  if (typeof want === "string") return want === request.path;
  want.lastIndex = 0;
  return want.test(request.path);
}

/** The sandbox's {@link SandboxFaults}, with the lookup its request pipeline uses. */
export class FaultInjector extends FaultQueue<FaultSpec, FaultTarget> implements SandboxFaults {
  constructor() {
    super({
      label: "sandbox fault",
      check,
      matches,
      fields: (kind) => ["method", "path", ...KIND_FIELDS[kind]],
    });
  }
}
