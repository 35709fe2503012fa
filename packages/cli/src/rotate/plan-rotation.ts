import { readFile } from "node:fs/promises";
import { parse } from "dotenv";
import { keyVaultMetadata } from "@oncekey/azure-keyvault";
import type { ApiKey, OnceKeyConfig } from "@oncekey/core";
import { dotenvLocation, keyFileLocation } from "../config/key-locations.js";
import { CommandError } from "../errors/command-error.js";
import type { RotationTarget } from "../output/command-report.js";
import { changedMeanwhile, holdsCurrentKey } from "./changed-meanwhile.js";
import { replaceFile } from "./replace-file.js";
import { rewriteDotenvValue } from "./rewrite-dotenv-value.js";
import { writeVaultSecret } from "./write-vault-secret.js";

/** Where the new key will go, found from where the current key came from. */
export interface RotationPlan {
  /** `file`, `dotenv` or `azure-keyvault`. */
  readonly kind: string;
  /** The place as output may name it. */
  readonly location: string;
  /** Writes the new key there, after checking that the place still holds the current key. */
  write(key: ApiKey): Promise<RotationTarget>;
}

/**
 * Finds where the current key lives from its source (`file:…`, `dotenv:…`, `azure-keyvault:…`, `env:…`) and the
 * configuration, checks that the place holds exactly that key (so the command writes where the app reads), and
 * returns how to write the new key there. The `env` source is refused with what to do instead.
 *
 * @param current - The key the configuration resolves to now.
 * @param env - The configuration.
 * @param tenant - The tenant whose key it is.
 * @param config - From `loadConfig`.
 * @throws {@link CommandError} `SOURCE_NOT_WRITABLE` for `env` (or any source the command cannot write),
 *   `WRITE_FAILED` when the place cannot be found or does not hold the current key.
 * @example
 * ```ts
 * const plan = await planRotation(currentKey, process.env, undefined, config);
 * await plan.write(newKey);
 * ```
 */
export async function planRotation(
  current: ApiKey,
  env: Readonly<Record<string, string | undefined>>,
  tenant: string | undefined,
  config: OnceKeyConfig,
): Promise<RotationPlan> {
  const kind = current.source.slice(0, current.source.indexOf(":"));
  switch (kind) {
    case "file":
      return planFile(current, env, tenant);
    case "dotenv":
      return planDotenv(current, env, tenant);
    case "azure-keyvault":
      return planVault(current, config);
    case "env": {
      const variable = current.source.slice("env:".length);
      throw new CommandError(
        "SOURCE_NOT_WRITABLE",
        `The key comes from the environment (${current.source}), which the command cannot change for the ` +
          `processes that read it. Set ${variable} to the new key where the app's environment is defined (the ` +
          "deployment, the service unit, the container's settings), then restart every process: a process reads " +
          "its environment once, when it starts. To rotate without restarts, keep the key in a file or in Key " +
          "Vault (ONCEKEY_SOURCE=file or azure-keyvault), which this command writes and running apps follow.",
      );
    }
    default:
      throw new CommandError(
        "SOURCE_NOT_WRITABLE",
        `The key comes from ${current.source}, a source the command cannot write. Put the new key there yourself.`,
      );
  }
}

function planFile(
  current: ApiKey,
  env: Readonly<Record<string, string | undefined>>,
  tenant: string | undefined,
): RotationPlan {
  const location = keyFileLocation(env, tenant);
  if (location === undefined) {
    throw new CommandError(
      "WRITE_FAILED",
      `The key file of ${current.source} could not be found from ONCEKEY_FILE_PATH.`,
    );
  }
  return {
    kind: "file",
    location: `file:${location.shown}`,
    async write(key) {
      const content = await readFile(location.path).catch(() => undefined);
      if (content === undefined || !holdsCurrentKey(content.toString("utf8"), current))
        throw changedMeanwhile(location.shown);
      // The file keeps its own convention: a trailing newline if it had one.
      const newline = content.at(-1) === 0x0a ? "\n" : "";
      await replaceFile(location.path, Buffer.from(`${key.reveal()}${newline}`, "utf8"), location.shown);
      return { kind: "file", location: `file:${location.shown}` };
    },
  };
}

async function planDotenv(
  current: ApiKey,
  env: Readonly<Record<string, string | undefined>>,
  tenant: string | undefined,
): Promise<RotationPlan> {
  const found = await dotenvLocation(env, tenant);
  if (found === undefined || !holdsCurrentKey(parse(found.content)[found.variable] ?? "", current)) {
    throw new CommandError(
      "WRITE_FAILED",
      `The .env file holding ${current.source} could not be found from ONCEKEY_DOTENV_PATH and ONCEKEY_ENV_VAR.`,
    );
  }
  const location = `dotenv:${found.shown}#${found.shownVariable}`;
  return {
    kind: "dotenv",
    location,
    async write(key) {
      const now = await dotenvLocation(env, tenant);
      if (
        now === undefined ||
        now.path !== found.path ||
        !holdsCurrentKey(parse(now.content)[now.variable] ?? "", current)
      ) {
        throw changedMeanwhile(found.shown);
      }
      const rewritten = rewriteDotenvValue(now.content, now.variable, key.reveal(), found.shown);
      await replaceFile(now.path, rewritten, found.shown);
      return { kind: "dotenv", location };
    },
  };
}

function planVault(current: ApiKey, config: OnceKeyConfig): RotationPlan {
  const metadata = keyVaultMetadata(current);
  if (metadata === undefined) {
    throw new CommandError(
      "WRITE_FAILED",
      `The Key Vault secret of ${current.source} could not be identified.`,
    );
  }
  return {
    kind: "azure-keyvault",
    location: current.source,
    async write(key) {
      const version = await writeVaultSecret(metadata, current, key, config, current.source);
      return {
        kind: "azure-keyvault",
        location: current.source,
        ...(version === undefined ? {} : { version }),
      };
    },
  };
}
