import { createHash } from "node:crypto";
import { open, type FileHandle } from "node:fs/promises";
import { KeySourceError } from "@oncekey/core";
import { parse } from "dotenv";

/** The largest `.env` file read; a bigger one is a mistake (a log, a dump), not a configuration file. */
export const MAX_DOTENV_BYTES = 1024 * 1024;

/** A `.env` file: where it is, and how it is named in sources and messages. */
export interface DotenvPath {
  /** The absolute path, resolved once when the provider was made. */
  readonly absolute: string;
  /** The path as the user gave it, for `dotenv:<path>#<VARIABLE>`. */
  readonly display: string;
}

/** One file as read: its variables, or `undefined` when it does not exist. */
export interface DotenvFile {
  readonly path: DotenvPath;
  readonly values: Readonly<Record<string, string>> | undefined;
  /** The file's mode bits, when it exists. */
  readonly mode: number | undefined;
}

/** Every file at one moment. */
export interface DotenvSnapshot {
  /** In precedence order: the first file that defines a variable wins. */
  readonly files: readonly DotenvFile[];
  /** SHA-256 over each file's content or absence. */
  readonly hash: string;
  /** When this content was first seen, by a read or by the watcher. */
  readonly since: number;
}

/** Where a variable was found. */
export interface FoundVariable {
  readonly file: DotenvFile;
  readonly raw: string;
}

/**
 * Reads a list of `.env` files with dotenv's `parse` (never `config`: nothing is written to `process.env`, nothing
 * is logged) and remembers when their content last changed, so a provider can tell a fresh rewrite from a
 * settled state.
 */
export class DotenvFiles {
  readonly paths: readonly DotenvPath[];
  #hash: string | undefined;
  #since = 0;

  constructor(paths: readonly DotenvPath[]) {
    this.paths = paths;
  }

  /** The paths for messages: `.env.local, .env`. */
  describe(): string {
    return this.paths.map((p) => p.display).join(", ");
  }

  /**
   * Reads every file. An absent file (or directory) is skipped; any other failure is a {@link KeySourceError}.
   */
  async read(): Promise<DotenvSnapshot> {
    const contents = await Promise.all(this.paths.map((path) => readDotenvFile(path)));
    const digest = createHash("sha256");
    const files = contents.map(({ path, content, mode }) => {
      digest.update(path.absolute).update(content === undefined ? "\u0001" : `\u0000${content}\u0000`);
      return { path, values: content === undefined ? undefined : parse(content), mode };
    });
    const hash = digest.digest("hex");
    if (hash !== this.#hash) {
      this.#hash = hash;
      this.#since = Date.now();
    }
    return { files, hash, since: this.#since };
  }
}

/** The first definition of `variable` in precedence order, or `undefined`. */
export function findVariable(snapshot: DotenvSnapshot, variable: string): FoundVariable | undefined {
  for (const file of snapshot.files) {
    if (file.values !== undefined && Object.hasOwn(file.values, variable)) {
      const raw = file.values[variable];
      if (typeof raw === "string") return { file, raw };
    }
  }
  return undefined;
}

interface FileContent {
  readonly path: DotenvPath;
  readonly content: string | undefined;
  readonly mode: number | undefined;
}

async function readDotenvFile(path: DotenvPath): Promise<FileContent> {
  const source = `dotenv:${path.display}`;
  let handle: FileHandle;
  try {
    handle = await open(path.absolute, "r");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return { path, content: undefined, mode: undefined };
    throw new KeySourceError(
      `Could not open ${path.display} (${code ?? "unknown error"}). Give the process read access to it.`,
      { source, cause: error },
    );
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) {
      throw new KeySourceError(`${path.display} is not a regular file. Point the path to a .env file.`, {
        source,
      });
    }
    if (stats.size > MAX_DOTENV_BYTES) {
      throw new KeySourceError(
        `${path.display} is ${stats.size} bytes, more than the ${MAX_DOTENV_BYTES} a .env file may have. ` +
          "Point the path to the right file.",
        { source },
      );
    }
    const content = await handle.readFile("utf8");
    return { path, content, mode: stats.mode };
  } catch (error) {
    if (KeySourceError.is(error)) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new KeySourceError(`Could not read ${path.display} (${code ?? "unknown error"}).`, {
      source,
      cause: error,
    });
  } finally {
    await handle.close();
  }
}
