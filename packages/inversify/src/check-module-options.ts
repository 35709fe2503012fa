import { ConfigError } from "@oncekey/core";
import { describeConfigValue } from "@oncekey/core/source";

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null;

function fail(message: string, variable: string): never {
  throw new ConfigError(message, { variable });
}

/**
 * Checks the option types that plain JavaScript (or an `as any`) can get wrong, so the load fails with a
 * `ConfigError` naming the option instead of a `TypeError` from deep inside, or a silent fallback.
 *
 * @param factory - `fromEnvironment` or `fromOptions`, for the message
 * @param options - what the factory was given
 * @example
 * ```ts
 * checkModuleOptions("fromEnvironment", options); // ConfigError for { sources: "env" }
 * ```
 */
export function checkModuleOptions(factory: "fromEnvironment" | "fromOptions", options: unknown): void {
  if (!isObject(options)) {
    // Its type and length only: a string here is often the key itself, passed where the options belong.
    fail(`OnceKeyModule.${factory} needs an options object, got ${describeConfigValue(options)}.`, "options");
  }
  const { sources, env, client, variables, ca } = options;
  if (sources !== undefined || factory === "fromEnvironment") {
    if (!Array.isArray(sources)) {
      fail("`sources` must be an array of key sources, e.g. [envSource, fileSource].", "sources");
    }
    sources.forEach((source: unknown, index) => {
      if (
        !isObject(source) ||
        typeof source["name"] !== "string" ||
        typeof source["fromConfig"] !== "function"
      ) {
        fail(
          `sources[${index}] is not a KeySource (an object with name and fromConfig), e.g. envSource from @oncekey/env.`,
          "sources",
        );
      }
    });
  }
  if (env !== undefined && !isObject(env)) {
    fail("`env` must be an object of variables; leave it out to read process.env.", "env");
  }
  if (client !== undefined && !isObject(client))
    fail("`client` must be an object of client options.", "client");
  if (variables !== undefined && !isObject(variables)) {
    fail("`variables` must be an object of the sources' variables.", "variables");
  }
  if (ca !== undefined && typeof ca !== "string" && !Buffer.isBuffer(ca)) {
    fail("`ca` must be PEM text or a Buffer holding it.", "ca");
  }
}
