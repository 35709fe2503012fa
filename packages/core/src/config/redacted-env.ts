import { inspect } from "node:util";

/** Shows which variables are set, never their values: the environment may hold the key itself. */
const redacting = Object.freeze({
  toJSON(this: Record<string, unknown>): Record<string, string> {
    return Object.fromEntries(Object.keys(this).map((name) => [name, "[redacted]"]));
  },
  [inspect.custom](this: Record<string, unknown>): string {
    return `Environment { ${Object.keys(this).join(", ")} } (values redacted)`;
  },
});

/**
 * Copies `env` into a frozen object whose `inspect`, `toJSON` and `toString` name the variables but hide their
 * values, so logging a configuration cannot leak a key that sits in it.
 */
export function redactedEnv(
  env: Readonly<Record<string, string | undefined>>,
): Readonly<Record<string, string | undefined>> {
  const copy = Object.create(redacting) as Record<string, string | undefined>;
  for (const name of Object.keys(env)) copy[name] = env[name];
  return Object.freeze(copy);
}
