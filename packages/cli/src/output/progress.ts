import type { CommandOutput } from "../cli/command-io.js";
import type { Style } from "./style.js";

/** A one-line note of what the command is waiting for. */
export interface Progress {
  /** Shows `text` in place of the previous note. */
  step(text: string): void;
  /** Erases the note, before the result is printed. */
  clear(): void;
}

/**
 * Progress notes on `stream` (stderr) while the command waits on OnceHub, a vault or a file: one line, rewritten
 * in place and erased before the result. Only on a terminal: piped into a file or a log, the stream gets no
 * progress noise, and stdout is never touched.
 *
 * @param stream - stderr.
 * @param style - Its colours.
 * @example
 * ```ts
 * const progress = progressOn(process.stderr, styleFor(process.stderr, process.env));
 * progress.step("Checking the key with OnceHub");
 * await client.test();
 * progress.clear();
 * ```
 */
export function progressOn(stream: CommandOutput, style: Style): Progress {
  if (stream.isTTY !== true) return { step: () => undefined, clear: () => undefined };
  let shown = false;
  return {
    step(text) {
      stream.write(`\r\u001b[2K${style.dim(`${text}…`)}`);
      shown = true;
    },
    clear() {
      if (shown) stream.write("\r\u001b[2K");
      shown = false;
    },
  };
}
