import type { KeyProvider, KeyRequest } from "@oncekey/core";

/** A probe for `eventually`: whether `keys` now serves `key` (for `request`). */
export function serves(keys: KeyProvider, key: string, request?: KeyRequest): () => Promise<boolean> {
  return async () => (await keys.getKey(request)).reveal() === key;
}
