import type { FakeKeyVaultFault } from "./vault-faults.js";
import type { BoundedLogView } from "../../state/bounded-log.js";
import type { FakeKeyVaultOperation } from "./vault-operation.js";

/** One request the fake vault received; it never holds a secret value or a token. */
export interface FakeKeyVaultCall {
  readonly method: string;
  /** The path without the query string, e.g. `/secrets/acme/`. */
  readonly path: string;
  readonly operation: FakeKeyVaultOperation;
  /** The secret name from the path, or `null` when the path names none. */
  readonly secret: string | null;
  /**
   * The version from the path; for a `setSecret` answered 200, the version it wrote. `null` for the latest
   * version, for listings and for writes that wrote nothing.
   */
  readonly version: string | null;
  /** The status sent, or `null` when the connection was reset instead. */
  readonly status: number | null;
  /** Whether the request carried an `Authorization: Bearer …` header. */
  readonly hasToken: boolean;
  /** The injected fault that produced the answer, if one did. */
  readonly fault: FakeKeyVaultFault["kind"] | null;
  /** Whether the vault's throttle (`throttle` option) answered it 429. */
  readonly throttled: boolean;
}

/**
 * The fake vault's request log, oldest first, bounded (the oldest of more than 100,000 calls are dropped).
 *
 * @example
 * ```ts
 * expect(vault.calls.count({ secret: "acme", hasToken: true })).toBe(1);
 * ```
 */
export type FakeKeyVaultCalls = BoundedLogView<FakeKeyVaultCall>;
