import { KeyNotFoundError, resolveKeyProvider, type ApiKey, type KeyProvider } from "@oncekey/core";
import type { SourceWarnings } from "../check/source-warnings.js";
import { KEY_SOURCES } from "../config/key-setup.js";
import { describeError } from "../errors/describe-error.js";
import { sourceOf } from "../errors/source-of.js";
import type { SourceStep } from "../output/command-report.js";

/** A step, and the key it found. */
export interface TriedSource {
  readonly step: SourceStep;
  readonly key: ApiKey | undefined;
}

/**
 * Tries each source of `ONCEKEY_SOURCE` on its own, in order, with the library's `resolveKeyProvider` (the
 * configuration with `ONCEKEY_SOURCE` set to that one source), and marks the one a chain would use: the first
 * that has a key, unless one before it failed in a way that stops the chain (anything but "not found").
 *
 * @param env - The configuration.
 * @param names - The sources, as `loadConfig` read them.
 * @param tenant - The tenant whose key is meant.
 * @param raised - Collects the warnings each source raises.
 * @example
 * ```ts
 * const tried = await trySources(process.env, ["file", "env"], undefined, collectSourceWarnings());
 * tried.map((t) => t.step.outcome); // ["not-found", "found"]
 * ```
 */
export async function trySources(
  env: Readonly<Record<string, string | undefined>>,
  names: readonly string[],
  tenant: string | undefined,
  raised: SourceWarnings,
): Promise<TriedSource[]> {
  const tried: TriedSource[] = [];
  let chainDecided = false;
  for (const name of names) {
    const result = await trySource(env, name, tenant, raised);
    const used = !chainDecided && result.step.outcome === "found";
    if (result.step.outcome !== "not-found") chainDecided = true;
    tried.push({ ...result, step: { ...result.step, used } });
  }
  return tried;
}

async function trySource(
  env: Readonly<Record<string, string | undefined>>,
  name: string,
  tenant: string | undefined,
  raised: SourceWarnings,
): Promise<TriedSource> {
  let keys: KeyProvider;
  try {
    keys = resolveKeyProvider({ ...env, ONCEKEY_SOURCE: name }, KEY_SOURCES);
  } catch (error) {
    return {
      key: undefined,
      step: {
        name,
        tried: sourceOf(error),
        outcome: "misconfigured",
        fingerprint: null,
        used: false,
        error: describeError(error),
      },
    };
  }
  raised.follow(keys);
  try {
    const key = await keys.getKey(tenant === undefined ? undefined : { tenant });
    return {
      key,
      step: {
        name,
        tried: key.source,
        outcome: "found",
        fingerprint: key.fingerprint,
        used: false,
        error: null,
      },
    };
  } catch (error) {
    return {
      key: undefined,
      step: {
        name,
        tried: sourceOf(error),
        outcome: KeyNotFoundError.is(error) ? "not-found" : "failed",
        fingerprint: null,
        used: false,
        error: describeError(error),
      },
    };
  } finally {
    await keys.close?.();
  }
}
