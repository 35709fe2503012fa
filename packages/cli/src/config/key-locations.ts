import { readFile } from "node:fs/promises";
import { delimiter, resolve } from "node:path";
import { parse } from "dotenv";
import { quotableConfigValue } from "@oncekey/core/source";
import { shownPath } from "./shown-value.js";

/** The key file the `file` source reads for a tenant. */
export interface KeyFileLocation {
  /** The absolute path. */
  readonly path: string;
  /** The path as output may show it. */
  readonly shown: string;
}

/** The `.env` file and variable the `dotenv` source reads a tenant's key from. */
export interface DotenvLocation {
  /** The absolute path of the first file that defines the variable. */
  readonly path: string;
  readonly shown: string;
  /** The variable, `{tenant}` filled in. */
  readonly variable: string;
  /** The variable as output may show it. */
  readonly shownVariable: string;
  /** The file's content as read. */
  readonly content: Buffer;
}

const PLACEHOLDER = "{tenant}";

function setting(env: Readonly<Record<string, string | undefined>>, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === "" ? undefined : value;
}

/**
 * Where the `file` source reads the key: `ONCEKEY_FILE_PATH`, resolved against the working directory, with
 * `{tenant}` replaced by the tenant id, as `@oncekey/file` does (the tenant id was validated by the client).
 *
 * @param env - The configuration.
 * @param tenant - The tenant, when the path holds `{tenant}`.
 * @returns `undefined` when no path is configured, or the path and tenant do not go together.
 * @example
 * ```ts
 * keyFileLocation({ ONCEKEY_FILE_PATH: "/run/secrets/oncehub/{tenant}" }, "acme")?.path; // "/run/secrets/oncehub/acme"
 * ```
 */
export function keyFileLocation(
  env: Readonly<Record<string, string | undefined>>,
  tenant: string | undefined,
): KeyFileLocation | undefined {
  const raw = setting(env, "ONCEKEY_FILE_PATH");
  if (raw === undefined || raw.includes(PLACEHOLDER) !== (tenant !== undefined)) return undefined;
  const path = resolve(raw)
    .split(PLACEHOLDER)
    .join(tenant ?? "");
  return { path, shown: shownPath(raw, "ONCEKEY_FILE_PATH", path) };
}

/**
 * Where the `dotenv` source finds the key: the first file of `ONCEKEY_DOTENV_PATH` (default `.env`) that defines
 * the variable `ONCEKEY_ENV_VAR` names (default `ONCEHUB_API_KEY`; `{tenant}` mapped as `@oncekey/env` maps it:
 * upper case, `-` to `_`), read with dotenv's own parser.
 *
 * @param env - The configuration.
 * @param tenant - The tenant, when the variable holds `{tenant}`.
 * @returns `undefined` when no file defines the variable.
 * @example
 * ```ts
 * const found = await dotenvLocation(process.env, undefined);
 * found?.variable; // "ONCEHUB_API_KEY"
 * ```
 */
export async function dotenvLocation(
  env: Readonly<Record<string, string | undefined>>,
  tenant: string | undefined,
): Promise<DotenvLocation | undefined> {
  const template = setting(env, "ONCEKEY_ENV_VAR") ?? "ONCEHUB_API_KEY";
  if (template.includes(PLACEHOLDER) !== (tenant !== undefined)) return undefined;
  const variable = template.split(PLACEHOLDER).join((tenant ?? "").toUpperCase().replaceAll("-", "_"));
  const paths = (setting(env, "ONCEKEY_DOTENV_PATH") ?? ".env")
    .split(delimiter)
    .map((p) => p.trim())
    .filter((p) => p !== "");
  for (const raw of paths) {
    const path = resolve(raw);
    let content: Buffer;
    try {
      content = await readFile(path);
    } catch {
      continue;
    }
    if (Object.hasOwn(parse(content), variable)) {
      return {
        path,
        shown: shownPath(raw, "ONCEKEY_DOTENV_PATH", raw),
        variable,
        shownVariable: quotableConfigValue(template, "name") === undefined ? "<ONCEKEY_ENV_VAR>" : variable,
        content,
      };
    }
  }
  return undefined;
}
