const NAME = /^[A-Za-z][\w$]{0,63}$/;
const WORD = /^[\w.-]{1,64}$/;
/** Node quotes the paths of a failed call: `open '/srv/app/key'`, `link '/a' -> '/b'`. */
const QUOTED = /'[^']*'/g;

/**
 * A copy of a file system error that is safe to keep as a `cause` when the path may not be repeated (it may be a
 * key pasted where the path belongs): its `name`, `code`, `errno` and `syscall`, and its message with every path
 * replaced by `shown`. Node's message repeats the path (`ELOOP: too many symbolic links encountered, realpath
 * '/srv/app/…'`), and so do its `path` and `dest` properties, which are not copied.
 *
 * @param error - What `node:fs` threw.
 * @param hidden - The paths not to repeat: as given, and resolved. When there are any, every other quoted text in
 *   the message goes too (a link's target, a path Node resolved differently).
 * @param shown - What stands in for them, e.g. `<ONCEKEY_FILE_PATH>`.
 * @example
 * ```ts
 * throw new KeySourceError(`Cannot read the key file ${shown}.`, { cause: safeFsCause(error, [given, absolute], shown) });
 * ```
 */
export function safeFsCause(error: unknown, hidden: readonly string[], shown: string): Error {
  const original = (typeof error === "object" && error !== null ? error : {}) as {
    name?: unknown;
    message?: unknown;
    code?: unknown;
    errno?: unknown;
    syscall?: unknown;
  };
  let message = typeof original.message === "string" ? original.message : String(error);
  // The longest first: an absolute path holds the relative path it was resolved from.
  for (const path of [...hidden].filter((p) => p !== "").sort((a, b) => b.length - a.length)) {
    message = message.split(path).join(shown);
  }
  if (hidden.length > 0) message = message.replace(QUOTED, `'${shown}'`);
  const safe = new Error(message);
  const name = typeof original.name === "string" && NAME.test(original.name) ? original.name : "Error";
  Object.defineProperty(safe, "name", { value: name, writable: true, enumerable: false, configurable: true });
  if (typeof original.code === "string" && WORD.test(original.code))
    Object.assign(safe, { code: original.code });
  if (typeof original.errno === "number") Object.assign(safe, { errno: original.errno });
  if (typeof original.syscall === "string" && WORD.test(original.syscall)) {
    Object.assign(safe, { syscall: original.syscall });
  }
  safe.stack = `${name}: ${message}`;
  return safe;
}
