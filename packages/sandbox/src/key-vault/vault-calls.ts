/** What the fake vault understood a request to be. */
export type FakeKeyVaultOperation = "getSecret" | "getSecretVersions" | "unknown";

/** One request the fake vault received; it never holds a secret value or a token. */
export interface FakeKeyVaultCall {
  readonly method: string;
  /** The path without the query string, e.g. `/secrets/acme/`. */
  readonly path: string;
  readonly operation: FakeKeyVaultOperation;
  /** The secret name from the path, or `null` when the path names none. */
  readonly secret: string | null;
  /** The version from the path, or `null` for the latest version and for listings. */
  readonly version: string | null;
  /** The status sent, or `null` when the connection was reset instead. */
  readonly status: number | null;
  /** Whether the request carried an `Authorization: Bearer …` header. */
  readonly hasToken: boolean;
  /** The injected fault that produced the answer, if one did. */
  readonly fault: "throttle" | "server-error" | "reset" | "delay" | null;
}

/** The fake vault's request log. */
export interface FakeKeyVaultCalls {
  /** A copy of every call so far, oldest first. */
  all(): FakeKeyVaultCall[];
  /**
   * How many calls match every field given in `filter`.
   * @example `vault.calls.count({ secret: "acme", hasToken: true })`
   */
  count(filter?: Partial<FakeKeyVaultCall>): number;
  /** Forgets every call so far. */
  clear(): void;
}

/** A call log with a bound so a long benchmark cannot exhaust memory. */
export function createCallLog(limit = 100_000): FakeKeyVaultCalls & { record(call: FakeKeyVaultCall): void } {
  let calls: FakeKeyVaultCall[] = [];
  const matches = (call: FakeKeyVaultCall, filter: Partial<FakeKeyVaultCall>): boolean =>
    (Object.keys(filter) as (keyof FakeKeyVaultCall)[]).every((field) => call[field] === filter[field]);
  return {
    record(call) {
      if (calls.length >= limit) calls.shift();
      calls.push(Object.freeze(call));
    },
    all: () => [...calls],
    count: (filter = {}) => calls.filter((call) => matches(call, filter)).length,
    clear() {
      calls = [];
    },
  };
}
