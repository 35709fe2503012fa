import { readFileSync } from "node:fs";
import { ConfigError } from "../errors/config-error.js";
import { checkCaCertificates } from "./check-ca-certificates.js";
import { blankToUndefined, configVariable } from "./config-variable.js";
import { type BaseUrl, parseBaseUrl } from "./parse-base-url.js";
import { describeConfigValue, quotableConfigValue } from "./quotable-config-value.js";

/** Where the environment says OnceHub is, and which extra CA to trust. */
export interface EnvironmentTransport {
  /** From `ONCEHUB_BASE_URL`; `undefined` when unset. */
  readonly baseUrl: BaseUrl | undefined;
  /** The PEM read from `ONCEKEY_CA_FILE`; `undefined` when unset. */
  readonly ca: string | undefined;
  /** `ONCEKEY_CA_FILE` itself. */
  readonly caFile: string | undefined;
}

/**
 * Reads `ONCEHUB_BASE_URL` and `ONCEKEY_CA_FILE` from `env`, checked: the base URL as {@link parseBaseUrl} rules,
 * the CA file read and parsed. Both `loadConfig` and a client built without `baseUrl` or `ca` use it, so the
 * variables mean the same everywhere.
 *
 * @param env - The variables.
 * @throws {@link ConfigError} naming the variable.
 * @example
 * ```ts
 * const { baseUrl, ca } = transportFromEnv(process.env);
 * ```
 */
export function transportFromEnv(env: Readonly<Record<string, unknown>>): EnvironmentTransport {
  const caFile = blankToUndefined(configVariable(env, "ONCEKEY_CA_FILE"));
  return {
    baseUrl: baseUrlFromEnv(env),
    ca: caFile === undefined ? undefined : readCaFile(caFile),
    caFile,
  };
}

/**
 * `ONCEHUB_BASE_URL` of `env`, checked; `undefined` when unset.
 *
 * @param env - The variables.
 * @example
 * ```ts
 * const url = baseUrlFromEnv(process.env)?.href ?? DEFAULT_BASE_URL;
 * ```
 */
export function baseUrlFromEnv(env: Readonly<Record<string, unknown>>): BaseUrl | undefined {
  const raw = blankToUndefined(configVariable(env, "ONCEHUB_BASE_URL"));
  return raw === undefined ? undefined : parseBaseUrl(raw, "ONCEHUB_BASE_URL");
}

/**
 * The CA certificates of the file in `ONCEKEY_CA_FILE` of `env`, read and checked; `undefined` when unset.
 *
 * @param env - The variables.
 * @example
 * ```ts
 * const ca = caFromEnv(process.env);
 * ```
 */
export function caFromEnv(env: Readonly<Record<string, unknown>>): string | undefined {
  const caFile = blankToUndefined(configVariable(env, "ONCEKEY_CA_FILE"));
  return caFile === undefined ? undefined : readCaFile(caFile);
}

function readCaFile(path: string): string {
  const shown = quotableConfigValue(path, "path");
  const where =
    shown === undefined
      ? `ONCEKEY_CA_FILE (${describeConfigValue(path, "path")})`
      : `ONCEKEY_CA_FILE=${shown}`;
  let pem: string;
  try {
    pem = readFileSync(path, "utf8");
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? "unreadable";
    throw new ConfigError(
      `${where} cannot be read (${reason}). Point it to a readable PEM file of CA certificates, or unset it.`,
      // The system's message repeats the path: kept only when the path may be shown.
      { variable: "ONCEKEY_CA_FILE", ...(shown === undefined ? {} : { cause: error }) },
    );
  }
  return checkCaCertificates(pem, where, "ONCEKEY_CA_FILE");
}
