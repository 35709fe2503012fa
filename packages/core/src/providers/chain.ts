import { KeyNotFoundError, type KeyAttempt } from "../errors/key-not-found-error.js";
import { describeTenant } from "../tenant/describe-tenant.js";
import type { OnceKeyEventListener } from "../events/once-key-event.js";
import type { ApiKey } from "../key/api-key.js";
import type { KeyChangeListener, KeyProvider, KeyRequest } from "./key-provider.js";

/**
 * Tries providers in order and returns the first key found.
 *
 * Only {@link KeyNotFoundError} ("not configured here") moves on to the next provider; any other failure (a
 * malformed key, a vault that refuses) stops the chain and is thrown as is, so a configured but broken source
 * never falls through silently. When no provider has a key, the chain throws a `KeyNotFoundError` whose
 * `attempts` list each provider and why, and whose message names them all; chains therefore nest. The key's
 * `source` tells which provider served it.
 *
 * @param providers - The providers, first tried first.
 * @example
 * ```ts
 * // Kubernetes secret file when mounted, else the environment variable.
 * const keys = chain(fromFile({ path: "/run/secrets/oncehub" }), fromEnv());
 * const key = await keys.getKey();
 * console.log(key.source); // "file:/run/secrets/oncehub" or "env:ONCEHUB_API_KEY"
 * ```
 */
export function chain(...providers: KeyProvider[]): KeyProvider {
  if (providers.length === 0) throw new TypeError("chain: pass at least one provider.");
  providers.forEach((p: unknown, i) => {
    if (typeof p !== "object" || p === null || typeof (p as KeyProvider).getKey !== "function") {
      throw new TypeError(`chain: link ${i + 1} is not a KeyProvider (an object with a getKey method).`);
    }
  });
  const name = `chain(${providers.map((p) => p.name).join(",")})`;

  const tryFrom = (
    index: number,
    request: KeyRequest | undefined,
    attempts: KeyAttempt[],
  ): Promise<ApiKey> => {
    const provider = providers[index];
    if (provider === undefined) return Promise.reject(notFound(name, request, attempts));
    return provider.getKey(request).catch((error: unknown) => {
      if (!KeyNotFoundError.is(error)) throw error;
      attempts.push({ provider: provider.name, error });
      return tryFrom(index + 1, request, attempts);
    });
  };

  const watchers = providers.filter((p) => p.watch !== undefined);
  const publishers = providers.filter((p) => p.subscribe !== undefined);
  return {
    name,
    getKey: (request) => tryFrom(0, request, []),
    invalidate(key, request) {
      for (const provider of providers) provider.invalidate?.(key, request);
    },
    ...(watchers.length === 0
      ? {}
      : {
          watch(listener: KeyChangeListener): () => void {
            const stops = watchers.map((p) => p.watch?.(listener));
            return () => stops.forEach((stop) => stop?.());
          },
        }),
    ...(publishers.length === 0
      ? {}
      : {
          subscribe(listener: OnceKeyEventListener): () => void {
            const stops = publishers.map((p) => p.subscribe?.(listener));
            return () => stops.forEach((stop) => stop?.());
          },
        }),
    async close() {
      await Promise.all(providers.map((p) => p.close?.()));
    },
  };
}

function notFound(
  name: string,
  request: KeyRequest | undefined,
  attempts: readonly KeyAttempt[],
): KeyNotFoundError {
  const forTenant = request?.tenant === undefined ? "" : ` for tenant ${describeTenant(request.tenant)}`;
  const tried = attempts.map((a, i) => `  ${i + 1}. ${a.provider}: ${a.error.message}`).join("\n");
  return new KeyNotFoundError(
    `No OnceHub API key found${forTenant}. Tried, in order:\n${tried}\nConfigure one of these sources.`,
    { source: name, attempts },
  );
}
