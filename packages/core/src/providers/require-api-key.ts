import type { ApiKey } from "../key/api-key.js";
import type { KeyProvider } from "./key-provider.js";

/**
 * Returns `value` when it is an {@link ApiKey}, and throws a TypeError naming the provider otherwise: a homemade
 * provider that returns the raw string must get a clear error, never one that shows the string.
 *
 * Checked by shape, so a key made by another copy of the package passes.
 *
 * @param value - What `getKey` resolved with.
 * @param provider - The provider, named in the message.
 */
export function requireApiKey(value: unknown, provider: KeyProvider): ApiKey {
  const key = value as Partial<ApiKey> | null | undefined;
  if (typeof key?.reveal === "function" && typeof key.fingerprint === "string") return value as ApiKey;
  throw new TypeError(
    `The key provider "${String(provider.name)}" returned ${value === null ? "null" : typeof value} instead of ` +
      "an ApiKey. Its getKey() must return ApiKey.from(raw, { source }).",
  );
}
