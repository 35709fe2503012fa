import { ConfigError } from "@oncekey/core";
import { checkOptionNames, describeOptionValue } from "@oncekey/core/source";
import { CLIENT_OPTION_NAMES } from "./client-option-names.js";

type Factory = "fromEnvironment" | "fromOptions";

/** The options of `fromEnvironment`. */
const ENVIRONMENT_OPTION_NAMES = ["sources", "pacingSources", "env", "client"];

/** The options of `fromOptions`: the client's, and where the key comes from. */
const CODE_OPTION_NAMES = [...CLIENT_OPTION_NAMES, "baseUrl", "ca", "keys", "sources", "variables"];

/** The client options that `fromEnvironment` reads from the environment, and how to set each in code instead. */
const READ_FROM_ENVIRONMENT: Readonly<Record<string, string>> = {
  keys: "the key provider is the one ONCEKEY_SOURCE picks among `sources`; to pass your own, use OnceKeyModule.fromOptions({ keys })",
  baseUrl:
    "the base URL is ONCEHUB_BASE_URL's; to set it in code, use OnceKeyModule.fromOptions({ baseUrl })",
  ca: "the CA is read from ONCEKEY_CA_FILE; to pass it in code, use OnceKeyModule.fromOptions({ ca })",
};

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

function fail(message: string, variable: string): never {
  throw new ConfigError(message, { variable });
}

/**
 * Checks the options of `fromEnvironment` or `fromOptions` as plain JavaScript (or an `as any`) can get them wrong,
 * so the load fails with a `ConfigError` naming the option instead of a `TypeError` from deep inside, a silent
 * fallback, or an option silently ignored: an unknown or misspelt name (top level or in `client`), a client
 * option given beside `client` instead of in it, a value of the wrong type. Values are described, never repeated:
 * a string here is often the key itself, passed where the options belong. The client checks its own options'
 * values (and the names inside `retry`, `pacing` …) when it is built.
 *
 * @param factory - `fromEnvironment` or `fromOptions`, for the message.
 * @param options - What the factory was given.
 * @throws {@link ConfigError} whose `variable` is the option's path (`client.timeout`, `sources[1]`).
 * @example
 * ```ts
 * checkModuleOptions("fromEnvironment", { sources: [envSource], client: { timeout: { headersMs: 5_000 } } });
 * // ConfigError: OnceKeyModule.fromEnvironment: unknown option client.timeout. Did you mean client.timeouts? …
 * ```
 */
export function checkModuleOptions(factory: Factory, options: unknown): void {
  const where = `OnceKeyModule.${factory}`;
  if (!isObject(options)) {
    fail(`${where} needs an options object, got ${describeOptionValue(options)}.`, "options");
  }
  if (factory === "fromEnvironment") {
    checkEnvironmentNames(options, where);
  } else {
    checkOptionNames(options, CODE_OPTION_NAMES, where);
  }
  const { sources, env, variables, ca, keys } = options;
  if (sources !== undefined || factory === "fromEnvironment") checkSources(sources, where);
  if (env !== undefined && !isObject(env)) {
    fail(
      `${where}: env must be an object of variables, got ${describeOptionValue(env)}. Leave it out to read process.env.`,
      "env",
    );
  }
  if (variables !== undefined && !isObject(variables)) {
    fail(
      `${where}: variables must be an object of the sources' variables, got ${describeOptionValue(variables)}.`,
      "variables",
    );
  }
  if (ca !== undefined && typeof ca !== "string" && !Buffer.isBuffer(ca)) {
    fail(`${where}: ca must be PEM text or a Buffer holding it, got ${describeOptionValue(ca)}.`, "ca");
  }
  if (keys !== undefined && (!isObject(keys) || typeof keys["getKey"] !== "function")) {
    fail(
      `${where}: keys must be a KeyProvider such as fromFile(…) or fromEnv(), got ${describeOptionValue(keys)}.`,
      "keys",
    );
  }
}

/**
 * `fromEnvironment`'s names, and those of its `client`. A client option given beside `client` (where core's
 * `OnceHubClient.fromEnvironment` takes them) and a client option that the environment sets get their own hint.
 */
function checkEnvironmentNames(options: Record<string, unknown>, where: string): void {
  for (const [name, value] of Object.entries(options)) {
    if (value === undefined) continue;
    if (Object.hasOwn(READ_FROM_ENVIRONMENT, name)) {
      fail(`${where}: ${name} is not an option here: ${READ_FROM_ENVIRONMENT[name]}.`, name);
    }
    if ((CLIENT_OPTION_NAMES as readonly string[]).includes(name)) {
      fail(
        `${where}: ${name} is an option of the client: pass it in \`client\`, as in { sources, client: { ${name} } }.`,
        name,
      );
    }
  }
  checkOptionNames(options, ENVIRONMENT_OPTION_NAMES, where);
  const { client } = options;
  if (isObject(client)) {
    for (const [name, value] of Object.entries(client)) {
      if (value !== undefined && Object.hasOwn(READ_FROM_ENVIRONMENT, name)) {
        fail(
          `${where}: client.${name} is not an option here: ${READ_FROM_ENVIRONMENT[name]}.`,
          `client.${name}`,
        );
      }
    }
  }
  checkOptionNames(client, CLIENT_OPTION_NAMES, where, "client");
}

/** An array of key sources (objects with a name and a fromConfig function). */
function checkSources(sources: unknown, where: string): void {
  if (!Array.isArray(sources)) {
    fail(
      `${where}: sources must be an array of key sources, e.g. [envSource, fileSource], got ${describeOptionValue(sources)}.`,
      "sources",
    );
  }
  sources.forEach((source: unknown, index) => {
    if (
      !isObject(source) ||
      typeof source["name"] !== "string" ||
      typeof source["fromConfig"] !== "function"
    ) {
      fail(
        `${where}: sources[${index}] is not a key source (an object with a name and a fromConfig function), ` +
          "e.g. envSource from @oncekey/env.",
        `sources[${index}]`,
      );
    }
  });
}
