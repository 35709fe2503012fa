import { OnceKeyError } from "@oncekey/core";

/**
 * Where an oncekey error says the key came from or was looked for (`file:/run/secrets/oncehub`), if it says.
 *
 * @param error - What a command caught.
 * @example
 * ```ts
 * sourceOf(new KeyNotFoundError("…", { source: "env:ONCEHUB_API_KEY" })); // "env:ONCEHUB_API_KEY"
 * ```
 */
export function sourceOf(error: unknown): string | null {
  return OnceKeyError.is(error) ? (error.source ?? null) : null;
}
