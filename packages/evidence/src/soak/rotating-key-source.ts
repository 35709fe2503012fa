import { ApiKey, cached, type KeyProvider } from "@oncekey/core";
import type { Sandbox } from "@oncekey/sandbox";

/** A key source over one sandbox account whose key the soak rotates the way OnceHub recommends. */
export interface RotatingKeySource {
  /** The provider the client uses: `cached` over the source, as every factory returns. */
  readonly provider: KeyProvider;
  /** Creates a key, has the source serve it, and deletes the old one, which OnceHub then refuses at once. */
  rotate(): void;
}

/**
 * Serves the sandbox's default key, then each new one from {@link RotatingKeySource.rotate}. The client holds the
 * old key until OnceHub refuses it: a 401, one read of the source, and a replay with the new key.
 */
export function rotatingKeySource(sandbox: Sandbox): RotatingKeySource {
  let current = sandbox.key;
  const source: KeyProvider = {
    name: "soak",
    getKey: async () => ApiKey.from(current, { source: "soak" }),
  };
  return {
    provider: cached(source),
    rotate() {
      const previous = current;
      current = sandbox.keys.create(sandbox.account.id, "rotated");
      sandbox.keys.delete(previous);
    },
  };
}
