import { mkdir, readFile, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { checkApiKey, generateApiKey } from "../oncehub/state/key-material.js";
import { CommandError } from "./command-error.js";

/** What was done with the key file, for the banner and for warnings. */
export interface SandboxKeyFile {
  readonly key: string;
  readonly path: string;
  /** `true` when the file did not exist and was written now. */
  readonly created: boolean;
  /** Set when the file is readable or writable by group or others: what to run about it. */
  readonly warning: string | undefined;
}

const errno = (error: unknown): string | undefined => (error as NodeJS.ErrnoException).code;

/**
 * The default account's key for `--key-file`: read from the file when it exists (one trailing newline dropped,
 * then checked as startSandbox checks `key`), else a new key written there with mode 0600 (the directory made if
 * missing). Never quotes the key in a message.
 *
 * @param file - the path as given
 * @throws CommandError (exit 2) for a file that holds no valid key or cannot be read or written
 * @example
 * ```ts
 * const { key, created } = await loadOrCreateKeyFile(".oncekey/sandbox.key");
 * ```
 */
export async function loadOrCreateKeyFile(file: string): Promise<SandboxKeyFile> {
  const full = path.resolve(file);
  try {
    const key = generateApiKey();
    await mkdir(path.dirname(full), { recursive: true, mode: 0o700 });
    await writeFile(full, `${key}\n`, { mode: 0o600, flag: "wx" });
    return { key, path: full, created: true, warning: undefined };
  } catch (error) {
    if (errno(error) !== "EEXIST")
      throw new CommandError(`cannot write the key file ${full}: ${(error as Error).message}`, 2, {
        cause: error,
      });
  }
  let text: string;
  let mode: number;
  try {
    [text, { mode }] = await Promise.all([readFile(full, "utf8"), stat(full)]);
  } catch (error) {
    throw new CommandError(`cannot read the key file ${full}: ${(error as Error).message}`, 2, {
      cause: error,
    });
  }
  let key: string;
  try {
    key = checkApiKey(text.replace(/\r?\n$/, ""), `the key in ${full}`);
  } catch (error) {
    throw new CommandError(
      `${(error as Error).message} Write one key there, or delete the file for a new one.`,
      2,
    );
  }
  const loose = process.platform !== "win32" && (mode & 0o077) !== 0;
  const warning = loose
    ? `${full} can be read by others (mode ${(mode & 0o777).toString(8)}); run: chmod 600 ${full}`
    : undefined;
  return { key, path: full, created: false, warning };
}
