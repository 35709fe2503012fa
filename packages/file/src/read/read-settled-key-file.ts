import { setTimeout as sleep } from "node:timers/promises";
import { ApiKey, KeyNotFoundError, KeySourceError } from "@oncekey/core";
import { describeTenant } from "@oncekey/core/source";
import type { KeyFileTarget } from "../path/key-path-template.js";
import { readKeyFile, type KeyFileRead, type ReadKeyFileOptions } from "./read-key-file.js";

/** A read whose content had settled. */
export type SettledRead = Extract<KeyFileRead, { kind: "read" }>;

/** Options of {@link readSettledKeyFile}. */
export interface ReadSettledKeyFileOptions extends ReadKeyFileOptions {
  /** How long a file's content must stay unchanged before it is trusted; `0` trusts every read. */
  readonly settleMs: number;
  /** Whether this file was read before, so that its absence may be a rename in progress. */
  readonly seenBefore: boolean;
  /** A watcher's look in the background: its waits do not keep the process alive, and `signal` ends them. */
  readonly background?: { readonly signal: AbortSignal };
}

/** Attempts before giving up on a file that keeps changing or stays away. */
const MAX_ATTEMPTS = 20;
/**
 * Attempts for a caller's read of a file that served a key before: the cache then usually holds the last good key,
 * which the rewrite grace serves at once, so a caller should not wait for the whole budget.
 */
const SEEN_ATTEMPTS = 4;

/**
 * Reads a key file and returns its content only once it has stopped changing, so a rewrite in progress (truncated,
 * half written) or a swap in progress (the old target deleted under the reader) is never taken for the key.
 *
 * A file is trusted when its modification time is at least `settleMs` old, or when two reads `settleMs` apart
 * found the very same file and bytes (clocks of network file systems may disagree). Content that cannot be a key
 * (an empty file: truncated, its writer not back yet) is read again for as long as it is recent. A file that
 * vanished, or that was read before and is now absent, is looked for again for a while: editors and tools often
 * delete, then write. The wait is bounded: 20 attempts, `settleMs` apart, or 4 when a caller reads a file that
 * served a key before (its last good key is then served meanwhile, see core's `RewriteGrace`).
 *
 * @throws {@link KeyNotFoundError} when no file is there; {@link KeySourceError} when it cannot be read or never
 *   settles; {@link KeyFormatError} when it is too large.
 */
export async function readSettledKeyFile(
  target: KeyFileTarget,
  options: ReadSettledKeyFileOptions,
): Promise<SettledRead> {
  const started = Date.now();
  let previous: SettledRead | undefined;
  const attempts = options.seenBefore && options.background === undefined ? SEEN_ATTEMPTS : MAX_ATTEMPTS;
  for (let attempt = 1; ; attempt++) {
    // The age counts to when the read began: a stall between reading and looking must not make a write that was
    // still going on look settled.
    const readAt = Date.now();
    const read = await readKeyFile(target, options);
    if (read.kind === "failed") throw read.error;
    const last = attempt >= attempts;
    if (read.kind === "absent") {
      if (last || !(read.vanished || options.seenBefore)) throw notFound(target, read.code);
      previous = undefined;
      await pause(options.settleMs, options);
      continue;
    }
    const age = readAt - read.mtimeMs;
    const unchanged =
      previous !== undefined && previous.signature === read.signature && previous.bytes.equals(read.bytes);
    const settled = options.settleMs === 0 || age >= options.settleMs || unchanged;
    // Content that is no key (an empty file: truncated, its writer not back yet) gets the whole budget if recent.
    if (settled && (last || age >= options.settleMs * MAX_ATTEMPTS || isKey(read.bytes))) return read;
    if (last) throw unsettled(target, Date.now() - started);
    previous = read;
    const wait = settled ? options.settleMs : Math.min(Math.max(options.settleMs - age, 1), options.settleMs);
    await pause(wait, options);
  }
}

function pause(ms: number, options: ReadSettledKeyFileOptions): Promise<void> {
  const background = options.background;
  return sleep(ms, undefined, background === undefined ? {} : { signal: background.signal, ref: false });
}

function isKey(bytes: Buffer): boolean {
  try {
    ApiKey.from(bytes.toString("utf8"));
    return true;
  } catch {
    return false;
  }
}

function notFound(target: KeyFileTarget, code: string): KeyNotFoundError {
  const forTenant = target.tenant === undefined ? "" : ` for tenant ${describeTenant(target.tenant)}`;
  const why = code === "ENOTDIR" ? " (a part of the path is a file, not a directory)" : "";
  return new KeyNotFoundError(
    `No OnceHub API key file${forTenant} at ${target.place}${why}. Mount or create ` +
      "it with the key as its only content, or point the path at the file that holds it.",
    { source: target.source },
  );
}

function unsettled(target: KeyFileTarget, waitedMs: number): KeySourceError {
  return new KeySourceError(
    `${capitalized(target.phrase)} kept changing for ${waitedMs} ms, so no complete key could be read. Write a new ` +
      "key to a temporary file and rename it over the old one, so readers never see it half written.",
    { source: target.source },
  );
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
