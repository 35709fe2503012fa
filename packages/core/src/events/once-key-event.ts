/** Fields every event carries. Never the key: only its fingerprint. */
interface EventBase {
  /** The tenant concerned; absent for a single-tenant app. */
  readonly tenant?: string;
  /** When it happened (`Date.now()`). */
  readonly time: number;
}

/** A key was read from its source. */
export interface KeyLoadedEvent extends EventBase {
  readonly type: "key:loaded";
  readonly fingerprint: string;
  readonly source: string;
  readonly provider: string;
  /** Why it was read: first use, TTL expiry, a change reported by the source, or an invalidation. */
  readonly reason: "initial" | "expired" | "changed" | "invalidated";
  readonly durationMs: number;
}

/** A reload returned a different key than the one held before. */
export interface KeyRotatedEvent extends EventBase {
  readonly type: "key:rotated";
  readonly previousFingerprint: string;
  readonly fingerprint: string;
  readonly source: string;
}

/** A cached key was dropped because OnceHub rejected it. */
export interface KeyInvalidatedEvent extends EventBase {
  readonly type: "key:invalidated";
  readonly fingerprint: string;
  readonly source: string;
}

/** OnceHub rejected a key (401). */
export interface KeyRejectedEvent extends EventBase {
  readonly type: "key:rejected";
  readonly fingerprint: string;
  readonly source: string;
  readonly status: number;
  readonly requestId?: string;
}

/** The source failed, so the last good key was served instead. */
export interface KeyStaleEvent extends EventBase {
  readonly type: "key:stale";
  readonly fingerprint: string;
  readonly source: string;
  /** The `code` of the source's error. */
  readonly errorCode: string;
  readonly errorMessage: string;
  /** How long the key has been due for a reload. */
  readonly staleForMs: number;
}

/** Something about a key source deserves attention but does not stop it (e.g. a key file readable by others). */
export interface KeyWarningEvent extends EventBase {
  readonly type: "key:warning";
  readonly source: string;
  /** A stable code such as `FILE_PERMISSIONS` or `TRACKED_BY_GIT`. */
  readonly code: string;
  readonly message: string;
}

/** One HTTP exchange with OnceHub finished (one per attempt). */
export interface RequestEvent extends EventBase {
  readonly type: "request";
  /** The server: the base URL's origin, e.g. `https://api.oncehub.com`. */
  readonly origin: string;
  readonly method: string;
  /** The path, without query string. */
  readonly path: string;
  /** The HTTP status, or 0 when no response arrived. */
  readonly status: number;
  /** 1 for the first attempt. */
  readonly attempt: number;
  readonly durationMs: number;
  readonly fingerprint?: string;
  readonly requestId?: string;
  /** The error code when the attempt failed without a response. */
  readonly errorCode?: string;
}

/** A request is retried after a delay. */
export interface RetryEvent extends EventBase {
  readonly type: "retry";
  readonly method: string;
  readonly path: string;
  /** The attempt that failed. */
  readonly attempt: number;
  readonly delayMs: number;
  /** The status or error code that caused the retry. */
  readonly reason: string;
  readonly fingerprint?: string;
}

/** A request queued for a rate budget. */
export interface PacedEvent extends EventBase {
  readonly type: "paced";
  readonly fingerprint: string;
  /** The estimated wait. */
  readonly waitMs: number;
  /** The budget it waits for: `account`, `account:<tenant>`, `egress`. */
  readonly budget?: string;
}

/**
 * A shared pacing store (Redis) stopped answering in time: each process paces with its share of the budgets
 * until it is back.
 */
export interface PacingFallbackEvent extends EventBase {
  readonly type: "pacing:fallback";
  /** The store's name, e.g. `redis`. */
  readonly store: string;
  /** A stable code of what failed: `TIMEOUT`, `ECONNREFUSED`, `NOAUTH`, `PROTOCOL` … */
  readonly reason: string;
  readonly message: string;
  /** The instances the process shares the budgets with (itself included), as last seen or configured. */
  readonly instances: number;
}

/** A shared pacing store answers again: the process paces with the shared budgets. */
export interface PacingRecoveredEvent extends EventBase {
  readonly type: "pacing:recovered";
  readonly store: string;
  /** How long the process paced with its share. */
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

/** A function that receives events. It must not throw; if it does, the error is ignored. */
export type OnceKeyEventListener = (event: OnceKeyEvent) => void;
