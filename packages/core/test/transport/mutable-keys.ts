import { ApiKey, cached, KeyNotFoundError, type KeyProvider } from "../../src/index.js";

/** A per-tenant key source whose keys a test changes, counting how often each tenant's key is read. */
export interface MutableKeys {
  /** The provider as a client uses it: `cached` over the source. */
  readonly provider: KeyProvider;
  /** Sets the key served for `tenant` (no tenant: the single-tenant key). */
  set(raw: string, tenant?: string): void;
  /** How many times the source was read for `tenant`. */
  reads(tenant?: string): number;
}

const SINGLE = "(single)";

/** A {@link MutableKeys} with `initial` as the single-tenant key, if given. */
export function mutableKeys(initial?: string): MutableKeys {
  const keys = new Map<string, string>();
  const counts = new Map<string, number>();
  if (initial !== undefined) keys.set(SINGLE, initial);
  const source: KeyProvider = {
    name: "mutable",
    async getKey(request) {
      const id = request?.tenant ?? SINGLE;
      counts.set(id, (counts.get(id) ?? 0) + 1);
      const raw = keys.get(id);
      if (raw === undefined) throw new KeyNotFoundError(`No key for ${id}.`, { source: `mutable:${id}` });
      return ApiKey.from(raw, { source: `mutable:${id}` });
    },
  };
  return {
    provider: cached(source),
    set: (raw, tenant) => keys.set(tenant ?? SINGLE, raw),
    reads: (tenant) => counts.get(tenant ?? SINGLE) ?? 0,
  };
}
