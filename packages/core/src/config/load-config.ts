import { ConfigError } from "../errors/config-error.js";
import { blankToUndefined, configVariable } from "./config-variable.js";
import type { KeySource, OnceKeyConfig } from "./key-source.js";
import type { PacingSource } from "./pacing-source.js";
import { checkOptionNames } from "../options/check-option-names.js";
import { checkSources } from "./check-sources.js";
import { DEFAULT_BASE_URL } from "./parse-base-url.js";
import { describeConfigValue, quotableConfigValue } from "./quotable-config-value.js";
import { redactedEnv } from "./redacted-env.js";
import { transportFromEnv } from "./transport-from-env.js";

/** The sources oncekey ships: the package each lives in and the name it exports it under. */
const KNOWN_SOURCES: Readonly<Record<string, readonly [pkg: string, exportName: string]>> = {
  env: ["@oncekey/env", "envSource"],
  dotenv: ["@oncekey/env", "dotenvSource"],
  file: ["@oncekey/file", "fileSource"],
  "azure-keyvault": ["@oncekey/azure-keyvault", "azureKeyVaultSource"],
};

/** A source name; only those short enough for `quotableConfigValue` are repeated in messages. */
const SOURCE_NAME = /^[a-z][a-z0-9-]{0,31}$/;

/**
 * Options of {@link loadConfig}.
 *
 * @example
 * ```ts
 * const config = loadConfig(process.env, { sources: [fileSource, envSource], pacingSources: [redisPacingSource] });
 * ```
 */
export interface LoadConfigOptions {
  /** The registered sources; when given, every name in `ONCEKEY_SOURCE` must be one of them. */
  readonly sources?: readonly KeySource[] | undefined;
  /** The registered pacing stores; when given, `ONCEKEY_PACING_STORE` must name one of them (or `memory`). */
  readonly pacingSources?: readonly PacingSource[] | undefined;
}

/**
 * Reads and validates oncekey's configuration from `env` (pass `process.env`; nothing else is read).
 *
 * | variable | meaning | default |
 * | --- | --- | --- |
 * | `ONCEKEY_SOURCE` | `env`, `dotenv`, `file`, `azure-keyvault`, or a comma list tried in order | `env` |
 * | `ONCEHUB_BASE_URL` | the API base, `https:` only | `https://api.oncehub.com/v2` |
 * | `ONCEKEY_CA_FILE` | a PEM file of extra trusted CAs (sandbox, corporate proxy) | none |
 * | `ONCEKEY_PACING_STORE` | where the rate budgets live: `memory` (this process) or a registered pacing source (`redis`) | `memory` |
 *
 * Each source's own variables (`ONCEHUB_API_KEY`, `ONCEKEY_FILE_PATH` …) are checked by the source when
 * `resolveKeyProvider` builds it. The returned `env` is a frozen copy whose `inspect` and `toJSON` hide every
 * value and whose variables are non-enumerable getters (`{ ...env }`, `Object.entries` and `structuredClone` see
 * none), so logging or copying the configuration cannot leak a key. A value is repeated in a message only when
 * `quotableConfigValue` allows it.
 *
 * @param env - The variables to read.
 * @param options - {@link LoadConfigOptions}.
 * @throws {@link ConfigError} naming the variable and the fix.
 * @example
 * ```ts
 * const config = loadConfig(process.env, { sources: [envSource, fileSource] });
 * ```
 */
export function loadConfig(
  env: Readonly<Record<string, string | undefined>>,
  options: LoadConfigOptions = {},
): OnceKeyConfig {
  if (typeof env !== "object" || env === null) {
    throw new ConfigError("loadConfig needs the variables to read as an object: pass process.env.", {
      variable: "env",
    });
  }
  checkOptionNames(options, ["sources", "pacingSources"], "loadConfig");
  const registered = checkSources(options.sources, "loadConfig");
  const sources = parseSources(configVariable(env, "ONCEKEY_SOURCE"), registered);
  const transport = transportFromEnv(env);
  const pacingStore = parsePacingStore(configVariable(env, "ONCEKEY_PACING_STORE"), options.pacingSources);
  return {
    sources,
    baseUrl: transport.baseUrl?.href ?? DEFAULT_BASE_URL,
    ...(transport.caFile === undefined || transport.ca === undefined
      ? {}
      : { caFile: transport.caFile, ca: transport.ca }),
    ...(pacingStore === undefined ? {} : { pacingStore }),
    env: redactedEnv(env),
  };
}

function parseSources(value: string | undefined, registered: readonly KeySource[] | undefined): string[] {
  const raw = blankToUndefined(value) ?? "env";
  const names = raw.split(",").map((name) => name.trim());
  const available = registered?.map((s) => s.name);
  const known = available ?? Object.keys(KNOWN_SOURCES);
  for (const name of names) {
    if (!SOURCE_NAME.test(name)) {
      const position = names.indexOf(name) + 1;
      throw new ConfigError(
        `ONCEKEY_SOURCE is not a list of source names: entry ${position} ` +
          `${name === "" ? "is empty" : "is not a lower-case name of at most 32 characters"}. ` +
          `Use one of ${known.join(", ")}, or a comma list tried in order such as "file,env".`,
        { variable: "ONCEKEY_SOURCE" },
      );
    }
    if (available !== undefined && !available.includes(name)) {
      const shipped = KNOWN_SOURCES[name];
      throw new ConfigError(
        shipped === undefined
          ? `ONCEKEY_SOURCE ${namesSource(name)}, which is not a key source. Use one of ${known.join(", ")}.`
          : `ONCEKEY_SOURCE names "${name}", but that source is not registered. Install ${shipped[0]} and pass ` +
              `its ${shipped[1]} in \`sources\`.`,
        { variable: "ONCEKEY_SOURCE" },
      );
    }
    if (available === undefined && KNOWN_SOURCES[name] === undefined) {
      throw new ConfigError(
        `ONCEKEY_SOURCE ${namesSource(name)}, which is not a key source. Use one of ${known.join(", ")}.`,
        { variable: "ONCEKEY_SOURCE" },
      );
    }
  }
  if (new Set(names).size !== names.length) {
    throw new ConfigError(`ONCEKEY_SOURCE names a source twice (${names.join(",")}). Name each once.`, {
      variable: "ONCEKEY_SOURCE",
    });
  }
  return names;
}

/** The pacing stores oncekey ships, by the package that holds each and the name it exports it under. */
const KNOWN_PACING_STORES: Readonly<Record<string, readonly [pkg: string, exportName: string]>> = {
  redis: ["@oncekey/redis", "redisPacingSource"],
};

function parsePacingStore(
  value: string | undefined,
  registered: readonly PacingSource[] | undefined,
): string | undefined {
  const name = blankToUndefined(value);
  if (name === undefined || name === "memory") return undefined;
  if (registered !== undefined && !Array.isArray(registered)) {
    throw new ConfigError(
      "loadConfig: pacingSources must be an array of pacing sources, e.g. [redisPacingSource].",
      {
        variable: "pacingSources",
      },
    );
  }
  const available = registered?.map((s) => s.name) ?? Object.keys(KNOWN_PACING_STORES);
  const choices = ["memory", ...available].join(", ");
  if (!SOURCE_NAME.test(name)) {
    throw new ConfigError(
      `ONCEKEY_PACING_STORE holds ${describeConfigValue(name, "name")}, which is not a store name. Use one of ${choices}.`,
      { variable: "ONCEKEY_PACING_STORE" },
    );
  }
  if (!available.includes(name)) {
    const shipped = KNOWN_PACING_STORES[name];
    throw new ConfigError(
      shipped === undefined
        ? `ONCEKEY_PACING_STORE ${namesSource(name)}, which is not a pacing store. Use one of ${choices}.`
        : `ONCEKEY_PACING_STORE names "${name}", but that store is not registered. Install ${shipped[0]} and pass ` +
            `its ${shipped[1]} in \`pacingSources\`.`,
      { variable: "ONCEKEY_PACING_STORE" },
    );
  }
  return name;
}

/** `names "vault"`, or only the length of a name that could be a key pasted into ONCEKEY_SOURCE. */
function namesSource(name: string): string {
  const shown = quotableConfigValue(name, "name");
  return shown === undefined ? `holds ${describeConfigValue(name, "name")}` : `names "${shown}"`;
}
