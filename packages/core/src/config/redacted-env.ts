import { inspect } from "node:util";

/** Shows which variables are set, never their values: the environment may hold the key itself. */
const redacting = Object.freeze({
  toJSON(this: object): Record<string, string> {
    return Object.fromEntries(Object.getOwnPropertyNames(this).map((name) => [name, "[redacted]"]));
  },
  [inspect.custom](this: object): string {
    return `Environment { ${Object.getOwnPropertyNames(this).join(", ")} } (values redacted)`;
  },
});

/**
 * Copies `env` into a frozen object that reads like `env` (`copy.NAME`, `Object.hasOwn(copy, NAME)`) but never
 * hands its values to code that copies or prints objects: `inspect` and `toJSON` name the variables and hide
 * their values, and each variable is a non-enumerable getter, so `{ ...copy }`, `Object.entries`,
 * `structuredClone` and `for…in` see nothing, and no property descriptor holds a value.
 *
 * @example
 * ```ts
 * const env = redactedEnv({ ONCEHUB_API_KEY: "…" });
 * env.ONCEHUB_API_KEY; // "…"
 * JSON.stringify(env); // {"ONCEHUB_API_KEY":"[redacted]"}
 * ({ ...env }); // {}
 * ```
 */
export function redactedEnv(
  env: Readonly<Record<string, string | undefined>>,
): Readonly<Record<string, string | undefined>> {
  const copy = Object.create(redacting) as Record<string, string | undefined>;
  for (const name of Object.keys(env)) {
    const value = env[name];
    Object.defineProperty(copy, name, { get: () => value, enumerable: false });
  }
  return Object.freeze(copy);
}
