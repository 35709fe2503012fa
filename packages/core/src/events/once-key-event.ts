/** Fields every event carries. Never the key: only its fingerprint. */
interface EventBase {
  /** The tenant concerned; absent for a single-tenant app. */
  readonly tenant?: string;
  /** When it happened (`Date.now()`). */
  readonly time: number;
}

/** Fields of an event that happens for an API call. */
interface CallEventBase extends EventBase {
  /**
   * The API call it belongs to: a number unique in the process, the same on every event of one call (its
   * exchanges, retries, key reads, pacing) and the `id` of the call's `CallTrace` on the `oncekey:call` tracing
   * channel. Absent when no call asked: a read ahead of expiry, a reload started by a watcher, a source used
   * outside a client.
   */
  readonly callId?: number;
}

/**
 * A key was read from its source.
 *
 * @example
 * ```ts
 * diagnostics_channel.subscribe("oncekey:key:loaded", (message) => {
 *   const event = message as KeyLoadedEvent;
 *   metrics.histogram("oncekey.key_load_ms", event.durationMs, { source: event.source, reason: event.reason });
 * });
 * ```
 */
export interface KeyLoadedEvent extends CallEventBase {
  /** Narrows an {@link OnceKeyEvent} to this event, published on the channel `oncekey:key:loaded`. */
  readonly type: "key:loaded";
  /** The fingerprint of the key read (`sha256:` and 12 hex digits), never the key. */
  readonly fingerprint: string;
  /** Where the key was read from, e.g. `env:ONCEHUB_API_KEY`, `file:/run/secrets/oncehub`. */
  readonly source: string;
  /** The `name` of the provider `cached` wraps, e.g. `file`, or `chain(env,file)` for a chain. */
  readonly provider: string;
  /** Why it was read: first use, TTL expiry, a change reported by the source, or an invalidation. */
  readonly reason: "initial" | "expired" | "changed" | "invalidated";
  /** How long the source took to return the key, in ms. */
  readonly durationMs: number;
}

/**
 * A reload returned a different key than the one held before.
 *
 * @example
 * ```ts
 * const onEvent = (event: OnceKeyEvent) => {
 *   if (event.type === "key:rotated") logger.info(`OnceHub key ${event.previousFingerprint} -> ${event.fingerprint}`);
 * };
 * ```
 */
export interface KeyRotatedEvent extends CallEventBase {
  /** Narrows an {@link OnceKeyEvent} to this event, published on the channel `oncekey:key:rotated`. */
  readonly type: "key:rotated";
  /** The fingerprint of the key held before the reload. */
  readonly previousFingerprint: string;
  /** The fingerprint of the key the reload returned, held from now on. */
  readonly fingerprint: string;
  /** Where the new key was read from. */
  readonly source: string;
}

/**
 * A cached key was dropped because OnceHub rejected it.
 *
 * @example
 * ```ts
 * const onEvent = (event: OnceKeyEvent) => {
 *   if (event.type === "key:invalidated") logger.warn(`OnceHub refused ${event.fingerprint}: reading a new key`);
 * };
 * ```
 */
export interface KeyInvalidatedEvent extends EventBase {
  /** Narrows an {@link OnceKeyEvent} to this event, published on the channel `oncekey:key:invalidated`. */
  readonly type: "key:invalidated";
  /** The fingerprint of the key dropped. */
  readonly fingerprint: string;
  /** Where the dropped key had been read from. */
  readonly source: string;
}

/**
 * OnceHub rejected a key (401).
 *
 * @example
 * ```ts
 * const onEvent = (event: OnceKeyEvent) => {
 *   if (event.type === "key:rejected") logger.error(`OnceHub refused ${event.fingerprint} from ${event.source}`);
 * };
 * ```
 */
export interface KeyRejectedEvent extends CallEventBase {
  /** Narrows an {@link OnceKeyEvent} to this event, published on the channel `oncekey:key:rejected`. */
  readonly type: "key:rejected";
  /** The fingerprint of the key OnceHub refused. */
  readonly fingerprint: string;
  /** Where the refused key was read from: the place to put a valid one. */
  readonly source: string;
  /** The HTTP status of OnceHub's answer: 401. */
  readonly status: number;
  /** OnceHub's `Request-Id` of the refused request, to quote to OnceHub support; absent when none came back. */
  readonly requestId?: string;
}

/**
 * The source failed, so the last good key was served instead.
 *
 * @example
 * ```ts
 * const onEvent = (event: OnceKeyEvent) => {
 *   if (event.type === "key:stale") logger.warn(event, `serving the last good key: ${event.errorCode}`);
 * };
 * ```
 */
export interface KeyStaleEvent extends CallEventBase {
  /** Narrows an {@link OnceKeyEvent} to this event, published on the channel `oncekey:key:stale`. */
  readonly type: "key:stale";
  /** The fingerprint of the last good key, served instead of a fresh one. */
  readonly fingerprint: string;
  /** Where the last good key had been read from (the source that failed now). */
  readonly source: string;
  /** The `code` of the source's error. */
  readonly errorCode: string;
  /**
   * The `message` of the source's error when it is oncekey's; for any other error, a sentence naming its class and
   * `code` only, as its message may quote what the source read.
   */
  readonly errorMessage: string;
  /** How long the key has been due for a reload. */
  readonly staleForMs: number;
}

/**
 * Something about a key source deserves attention but does not stop it (e.g. a key file readable by others).
 *
 * @example
 * ```ts
 * const onEvent = (event: OnceKeyEvent) => {
 *   if (event.type === "key:warning") logger.warn(`${event.code}: ${event.message}`);
 * };
 * ```
 */
export interface KeyWarningEvent extends EventBase {
  /** Narrows an {@link OnceKeyEvent} to this event, published on the channel `oncekey:key:warning`. */
  readonly type: "key:warning";
  /** The source concerned, e.g. `file:/run/secrets/oncehub`. */
  readonly source: string;
  /** A stable code such as `FILE_PERMISSIONS` or `TRACKED_BY_GIT`. */
  readonly code: string;
  /** What is wrong and what to do about it, for a log line. */
  readonly message: string;
}

/**
 * One HTTP exchange with OnceHub finished (one per attempt).
 *
 * @example
 * ```ts
 * const onEvent = (event: OnceKeyEvent) => {
 *   if (event.type === "request") metrics.histogram("oncehub.request_ms", event.durationMs, { status: event.status });
 * };
 * ```
 */
export interface RequestEvent extends CallEventBase {
  /** Narrows an {@link OnceKeyEvent} to this event, published on the channel `oncekey:request`. */
  readonly type: "request";
  /** The server: the base URL's origin, e.g. `https://api.oncehub.com`. */
  readonly origin: string;
  /** The HTTP method in upper case, e.g. `GET`. */
  readonly method: string;
  /** The path, without query string. */
  readonly path: string;
  /** The HTTP status, or 0 when no response arrived. */
  readonly status: number;
  /** 1 for the first attempt. */
  readonly attempt: number;
  /** How long the attempt took, in ms (fractional): from sending (after any pacing wait) to its outcome. */
  readonly durationMs: number;
  /** The fingerprint of the key the attempt was sent with. */
  readonly fingerprint?: string;
  /** OnceHub's `Request-Id` response header, to quote to OnceHub support; absent when none came back. */
  readonly requestId?: string;
  /** The error code when the attempt failed without a response. */
  readonly errorCode?: string;
}

/**
 * A request is retried after a delay.
 *
 * @example
 * ```ts
 * const onEvent = (event: OnceKeyEvent) => {
 *   if (event.type === "retry") logger.info(`${event.method} ${event.path} again in ${event.delayMs} ms (${event.reason})`);
 * };
 * ```
 */
export interface RetryEvent extends CallEventBase {
  /** Narrows an {@link OnceKeyEvent} to this event, published on the channel `oncekey:retry`. */
  readonly type: "retry";
  /** The HTTP method in upper case, e.g. `GET`. */
  readonly method: string;
  /** The path, without query string. */
  readonly path: string;
  /** The attempt that failed. */
  readonly attempt: number;
  /** How long the client waits before the next attempt, in ms. */
  readonly delayMs: number;
  /** The status or error code that caused the retry. */
  readonly reason: string;
  /** The fingerprint of the key the failed attempt was sent with. */
  readonly fingerprint?: string;
}

/**
 * A request queued for a rate budget.
 *
 * @example
 * ```ts
 * const onEvent = (event: OnceKeyEvent) => {
 *   if (event.type === "paced") metrics.histogram("oncehub.paced_ms", event.waitMs, { budget: event.budget });
 * };
 * ```
 */
export interface PacedEvent extends CallEventBase {
  /** Narrows an {@link OnceKeyEvent} to this event, published on the channel `oncekey:paced`. */
  readonly type: "paced";
  /** The fingerprint of the key the queued request will be sent with. */
  readonly fingerprint: string;
  /** The estimated wait, in ms. */
  readonly waitMs: number;
  /** The budget it waits for: `account`, `account:<tenant>`, `egress`. */
  readonly budget?: string;
}

/**
 * A shared pacing store (Redis) stopped answering in time: each process paces with its share of the budgets
 * until it is back.
 *
 * @example
 * ```ts
 * const onEvent = (event: OnceKeyEvent) => {
 *   if (event.type === "pacing:fallback") logger.warn(`${event.store} ${event.reason}: ${event.message}`);
 * };
 * ```
 */
export interface PacingFallbackEvent extends EventBase {
  /** Narrows an {@link OnceKeyEvent} to this event, published on the channel `oncekey:pacing:fallback`. */
  readonly type: "pacing:fallback";
  /** The store's name, e.g. `redis`. */
  readonly store: string;
  /** A stable code of what failed: `TIMEOUT`, `ECONNREFUSED`, `NOAUTH`, `PROTOCOL` … */
  readonly reason: string;
  /** What failed and how the process paces meanwhile; never the store's URL or password. */
  readonly message: string;
  /** The instances the process shares the budgets with (itself included), as last seen or configured. */
  readonly instances: number;
}

/**
 * A shared pacing store answers again: the process paces with the shared budgets.
 *
 * @example
 * ```ts
 * const onEvent = (event: OnceKeyEvent) => {
 *   if (event.type === "pacing:recovered") logger.info(`${event.store} is back after ${event.downForMs} ms`);
 * };
 * ```
 */
export interface PacingRecoveredEvent extends EventBase {
  /** Narrows an {@link OnceKeyEvent} to this event, published on the channel `oncekey:pacing:recovered`. */
  readonly type: "pacing:recovered";
  /** The store's name, e.g. `redis`. */
  readonly store: string;
  /** How long the process paced with its share, in ms. */
  readonly downForMs: number;
}

/**
 * Everything oncekey reports. Each is published on `node:diagnostics_channel` as `oncekey:<type>` (e.g.
 * `oncekey:key:loaded`, `oncekey:request`) and passed to the `onEvent` listener of the component that emits it.
 *
 * @example
 * ```ts
 * const keys = cached(provider, {
 *   onEvent: (event) => {
 *     if (event.type === "key:stale") logger.warn(event, "serving the last good OnceHub key");
 *   },
 * });
 * ```
 */
export type OnceKeyEvent =
  | KeyLoadedEvent
  | KeyRotatedEvent
  | KeyInvalidatedEvent
  | KeyRejectedEvent
  | KeyStaleEvent
  | KeyWarningEvent
  | RequestEvent
  | RetryEvent
  | PacedEvent
  | PacingFallbackEvent
  | PacingRecoveredEvent;

/**
 * A function that receives events. It must not throw; if it does, the error is ignored.
 *
 * @example
 * ```ts
 * const onEvent: OnceKeyEventListener = (event) => {
 *   if (event.type === "key:rotated") logger.info(event, "OnceHub key rotated");
 * };
 * ```
 */
export type OnceKeyEventListener = (event: OnceKeyEvent) => void;
