import { checkDelay, FaultQueue, type FaultCount, type QueuedFault } from "../../state/fault-queue.js";
import type { FakeKeyVaultOperation } from "./vault-operation.js";

/**
 * Which requests a fault applies to, and how many of them.
 *
 * @example
 * ```ts
 * vault.faults.inject({ kind: "server-error", secret: "oncehub-acme", times: Infinity });
 * vault.faults.inject({ kind: "server-error", status: 503, operation: "setSecret" }); // writes fail, reads work
 * ```
 */
export interface FakeKeyVaultFaultScope extends FaultCount {
  /** Only requests for this secret name (compared case-insensitively). @defaultValue every request */
  readonly secret?: string;
  /**
   * Only requests for this operation: `getSecret`, `getSecretVersions` or `setSecret` (the write, `PUT`).
   * @defaultValue every operation
   */
  readonly operation?: Exclude<FakeKeyVaultOperation, "unknown">;
}

/** What a fault is matched against: the secret a request names (`null` for none) and its operation. */
export interface VaultFaultTarget {
  readonly secret: string | null;
  readonly operation: FakeKeyVaultOperation;
}

const OPERATIONS: readonly string[] = ["getSecret", "getSecretVersions", "setSecret"];

/**
 * A failure the fake vault serves instead of the real answer.
 *
 * - `throttle`: 429 `Throttled`, with `Retry-After: retryAfterSeconds` (default 1; `null` sends none, which
 *   the Azure SDK then does not retry).
 * - `server-error`: a 5xx (`status`, default 500) with Key Vault's error envelope.
 * - `reset`: the TCP connection is reset before any response.
 * - `delay`: the normal answer, `delayMs` late (for timeouts).
 * - `truncated-body`: the normal status and headers, but only the first half of the JSON body, as a broken
 *   proxy would deliver it (for clients that must not echo a body they could not parse: it holds the secret).
 *
 * A write (`setSecret`) answered by `throttle`, `server-error` or `reset` stores nothing; under `delay` it is stored
 * when the answer goes out (not at all when the client gave up first), and under `truncated-body` it is stored
 * though the client cannot read the answer, as when a connection breaks after the service committed a write.
 *
 * Every kind also takes `secret`, `operation`, `times` (default 1) and `fraction`; a field its kind does not take
 * is refused.
 *
 * @example
 * ```ts
 * const storm: FakeKeyVaultFault[] = [{ kind: "throttle", times: 3 }, { kind: "server-error", status: 503 }];
 * storm.forEach((fault) => vault.faults.inject(fault));
 * ```
 */
export type FakeKeyVaultFault =
  | (FakeKeyVaultFaultScope & {
      /** 429 `Throttled`. */
      readonly kind: "throttle";
      /** The `Retry-After` header in whole seconds; `null` sends none. @defaultValue 1 */
      readonly retryAfterSeconds?: number | null;
    })
  | (FakeKeyVaultFaultScope & {
      /** A 5xx with Key Vault's error envelope. */
      readonly kind: "server-error";
      /** The status, 500-599 (503 is `ServiceUnavailable`, others `InternalServerError`). @defaultValue 500 */
      readonly status?: number;
    })
  | (FakeKeyVaultFaultScope & {
      /** The TCP connection is reset before any response. */
      readonly kind: "reset";
    })
  | (FakeKeyVaultFaultScope & {
      /** The normal answer, late. */
      readonly kind: "delay";
      /** How late, in milliseconds. */
      readonly delayMs: number;
    })
  | (FakeKeyVaultFaultScope & {
      /** The normal status and headers with only the first half of the JSON body. */
      readonly kind: "truncated-body";
    });

/**
 * A fault that was injected: how often it fired, and a way to withdraw it early.
 *
 * @example
 * ```ts
 * const throttle = vault.faults.inject({ kind: "throttle", times: Infinity });
 * throttle.remove(); // the vault answers normally again
 * ```
 */
export type FakeKeyVaultInjectedFault = QueuedFault<FakeKeyVaultFault>;

/** Faults waiting to be served, applied only to requests that carry a token. */
export interface FakeKeyVaultFaults {
  /**
   * Queues a fault; the first queued fault that matches a request (and is due, by `times` and `fraction`)
   * answers it. Throws a `RangeError` for an impossible fault.
   * @example `vault.faults.inject({ kind: "throttle", times: 2, retryAfterSeconds: 0 })`
   */
  inject(fault: FakeKeyVaultFault): FakeKeyVaultInjectedFault;
  /** Drops every queued fault. */
  clear(): void;
  /** How many requests the queued faults will still answer (`Infinity` when one is unbounded). */
  readonly pending: number;
}

function check(fault: FakeKeyVaultFault, fail: (problem: string) => never): void {
  if (fault.secret !== undefined && typeof fault.secret !== "string") fail("secret must be a secret name");
  if (fault.operation !== undefined && !OPERATIONS.includes(fault.operation))
    fail(`operation must be ${OPERATIONS.join(", ")}`);
  switch (fault.kind) {
    case "server-error":
      if (
        fault.status !== undefined &&
        !(Number.isInteger(fault.status) && fault.status >= 500 && fault.status <= 599)
      )
        fail("status must be a 5xx code");
      break;
    case "delay":
      checkDelay(fault.delayMs, "delayMs", fail);
      break;
    case "throttle": {
      const seconds = fault.retryAfterSeconds;
      if (seconds !== undefined && seconds !== null && !(Number.isInteger(seconds) && seconds >= 0))
        fail("retryAfterSeconds must be whole seconds >= 0, or null for no Retry-After");
      break;
    }
    case "reset":
    case "truncated-body":
      break;
    default:
      fail("kind must be throttle, server-error, reset, delay or truncated-body");
  }
}

const KIND_FIELDS: Readonly<Record<FakeKeyVaultFault["kind"], readonly string[]>> = {
  throttle: ["retryAfterSeconds"],
  "server-error": ["status"],
  reset: [],
  delay: ["delayMs"],
  "truncated-body": [],
};

/** The fake vault's fault queue; a request is matched by the secret it names and its operation. */
export class VaultFaultQueue
  extends FaultQueue<FakeKeyVaultFault, VaultFaultTarget>
  implements FakeKeyVaultFaults
{
  constructor() {
    super({
      label: "fake Key Vault fault",
      check,
      fields: (kind) => ["secret", "operation", ...KIND_FIELDS[kind]],
      matches: (fault, { secret, operation }) =>
        (fault.secret === undefined || fault.secret.toLowerCase() === secret?.toLowerCase()) &&
        (fault.operation === undefined || fault.operation === operation),
    });
  }
}
