import { createHash } from "node:crypto";
import { constants, type Stats } from "node:fs";
import { open, stat, type FileHandle } from "node:fs/promises";
import { KeySourceError } from "@oncekey/core";
import { readBounded, safeFsCause, type ConfiguredValue } from "@oncekey/core/source";
import { parse } from "dotenv";

/** The largest `.env` file read; a bigger one is a mistake (a log, a dump), not a configuration file. */
export const MAX_DOTENV_BYTES = 1024 * 1024;

/** A `.env` file: where it is, and how it is named in sources and messages. */
export interface DotenvPath {
  /** The absolute path, resolved once when the provider was made. */
  readonly absolute: string;
  /** The path as configured, and how messages speak of it. */
  readonly value: ConfiguredValue;
  /** How `dotenv:<path>#<VARIABLE>` shows it: the path as given, or `<the path option>` when it is not repeated. */
  readonly display: string;
  /** How a sentence names it: the path, or its setting described (relative, and to which directory). */
  readonly spoken: string;
  /** The same as a noun phrase: `the .env file /srv/app/.env`, or `the .env file named by …`. */
  readonly phrase: string;
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

  /** The paths for sources: `.env.local, .env`. */
  shown(): string {
    return this.paths.map((p) => p.display).join(", ");
  }

  /** The paths for sentences: `.env.local, .env`. */
  spoken(): string {
    return this.paths.map((p) => p.spoken).join(", ");
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

// O_NONBLOCK: a named pipe put in the file's place cannot hold the open (and a libuv thread) until a writer comes.
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

async function readDotenvFile(path: DotenvPath): Promise<FileContent> {
  let handle: FileHandle;
  try {
    // Looked at before it is opened: opening a device or a pipe can have effects of its own.
    refuseIrregular(path, await stat(path.absolute));
    handle = await open(path.absolute, OPEN_FLAGS);
  } catch (error) {
    if (KeySourceError.is(error)) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return { path, content: undefined, mode: undefined };
    throw failure(
      path,
      `Could not open ${path.spoken} (${code ?? "unknown error"}). Give the process read access to it.`,
      error,
    );
  }
  try {
    const stats = await handle.stat();
    refuseIrregular(path, stats);
    const bytes = await readBounded(handle, MAX_DOTENV_BYTES + 1);
    if (bytes.length > MAX_DOTENV_BYTES) throw tooLarge(path, undefined);
    return { path, content: bytes.toString("utf8"), mode: stats.mode };
  } catch (error) {
    if (KeySourceError.is(error)) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw failure(path, `Could not read ${path.spoken} (${code ?? "unknown error"}).`, error);
  } finally {
    await handle.close().catch(() => undefined);
  }
}

/** A read failure whose cause, Node's error, names the path only where the message may. */
function failure(path: DotenvPath, message: string, error: unknown): KeySourceError {
  const hidden = path.value.quoted ? [] : [path.value.value, path.absolute];
  return new KeySourceError(message, {
    source: `dotenv:${path.display}`,
    cause: safeFsCause(error, hidden, path.display),
  });
}

function refuseIrregular(path: DotenvPath, stats: Stats): void {
  if (!stats.isFile()) {
    throw new KeySourceError(
      `${capitalized(path.spoken)} is not a regular file. Point the path to a .env file.`,
      {
        source: `dotenv:${path.display}`,
      },
    );
  }
  if (stats.size > MAX_DOTENV_BYTES) throw tooLarge(path, stats.size);
}

function tooLarge(path: DotenvPath, size: number | undefined): KeySourceError {
  return new KeySourceError(
    `${capitalized(path.spoken)} is ${size === undefined ? "more than" : `${size} bytes, more than`} the ` +
      `${MAX_DOTENV_BYTES} bytes a .env file may have. Point the path to the right file.`,
    { source: `dotenv:${path.display}` },
  );
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
