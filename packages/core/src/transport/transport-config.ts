import type { Dispatcher } from "undici";
import type { OnceKeyEventListener } from "../events/once-key-event.js";
import type { KeyProvider, KeyRequest } from "../providers/key-provider.js";
import type { UsageTracker } from "./key-usage.js";
import type { ClientPacing } from "./pacing/client-pacing.js";
import type { PendingWaits } from "./pending-waits.js";
import type { RotationPolicy } from "./refresh-rejected-key.js";
import type { RetryPolicy } from "./retry-policy.js";

/** Everything a client tree shares for sending: the pool, the keys, the policies, the observers. */
export interface TransportConfig {
  /** The shared pool, leased on first use. */
  readonly dispatcher: Dispatcher;
  /** The base URL's origin, e.g. `https://api.oncehub.com`. */
  readonly origin: string;
  readonly keys: KeyProvider;
  /** The budgets a call takes from before it is sent; undefined with `pacing: false`. */
  readonly pacing: ClientPacing | undefined;
  readonly retry: RetryPolicy;
  readonly rotation: RotationPolicy;
  readonly headersTimeoutMs: number;
  readonly bodyTimeoutMs: number;
  /** The deadline of a whole call (`timeouts.totalMs`). */
  readonly totalTimeoutMs: number;
  readonly onEvent: OnceKeyEventListener | undefined;
  readonly usage: UsageTracker;
  /** The calls waiting for pacing, a retry or a new key, ended when the client tree closes. */
  readonly waits: PendingWaits;
  /** Added to a 404's message when the base URL's path names no API version (`/v2`). */
  readonly versionHint: string | undefined;
}

/** One call: what to send, for whom. */
export interface TransportCall {
  /** The call's number, unique in the process: the `callId` of its events. */
  readonly id: number;
  readonly method: string;
  /** Path and query, e.g. `/v2/bookings?limit=100`. */
  readonly target: string;
  /** JSON text, or undefined for no body. */
  readonly body: string | undefined;
  readonly tenant: string | undefined;
  /** What is passed to `getKey`: the tenant, the signal and the call's id. */
  readonly keyRequest: KeyRequest;
  readonly signal: AbortSignal | undefined;
  /** Extra request headers, as name/value pairs. */
  readonly headers: readonly string[] | undefined;
  /** When the call began (`performance.now()` time), for the retry policy's `maxElapsedMs`. */
  readonly startedAt: number;
  /** When the call must end (`performance.now()` time): `startedAt` plus `timeouts.totalMs`. */
  readonly deadlineAt: number;
}
