import type { CommandInput } from "../cli/command-io.js";
import { CommandError } from "../errors/command-error.js";
import type { CommandOutput } from "../cli/command-io.js";

/** More than any key (512 characters) with room for stray whitespace; a larger input is not a key. */
const MAX_INPUT = 4_096;

/**
 * Reads the new key from standard input, whether or not it is a terminal, never from an argument (arguments show
 * up in `ps` and the shell history).
 *
 * - On a terminal: prompts on stderr, turns raw mode on so nothing typed or pasted is echoed, reads up to Enter
 *   (Backspace and Ctrl+U edit, Ctrl+C and Ctrl+D on an empty line give up), and restores the terminal whatever
 *   happens.
 * - Otherwise (a pipe, a file): reads to the end. One trailing line break (`\n` or `\r\n`) is dropped; anything
 *   else is the key's to pass or fail `ApiKey.from`.
 *
 * @param stdin - Standard input.
 * @param stderr - Where the prompt goes.
 * @returns The text read, not yet validated.
 * @throws {@link CommandError} `NO_NEW_KEY` for empty input, `INTERRUPTED` for Ctrl+C, `KEY_FORMAT`-like
 *   `NO_NEW_KEY` for input too long to be a key.
 * @example
 * ```ts
 * const raw = await readNewKey(process.stdin, process.stderr); // echo "$KEY" | oncekey rotate
 * ```
 */
export async function readNewKey(stdin: CommandInput, stderr: CommandOutput): Promise<string> {
  const raw =
    stdin.isTTY === true && typeof stdin.setRawMode === "function"
      ? await readHidden(stdin, stderr)
      : await readToEnd(stdin);
  const text = raw.endsWith("\r\n") ? raw.slice(0, -2) : raw.endsWith("\n") ? raw.slice(0, -1) : raw;
  if (text === "") {
    throw new CommandError(
      "NO_NEW_KEY",
      "No key was given on standard input. Pipe it in (oncekey rotate < new-key.txt) or type it at the prompt.",
    );
  }
  return text;
}

function tooLong(): CommandError {
  return new CommandError(
    "NO_NEW_KEY",
    `Standard input holds more than ${MAX_INPUT} characters, which is not a key. Give the new key alone.`,
  );
}

async function readToEnd(stdin: CommandInput): Promise<string> {
  let text = "";
  for await (const chunk of stdin) {
    text += typeof chunk === "string" ? chunk : chunk.toString("utf8");
    if (text.length > MAX_INPUT) throw tooLong();
  }
  return text;
}

function readHidden(stdin: CommandInput, stderr: CommandOutput): Promise<string> {
  const setRawMode = stdin.setRawMode?.bind(stdin) as (mode: boolean) => unknown;
  return new Promise((resolve, reject) => {
    let value = "";
    const finish = (error?: CommandError): void => {
      stdin.off("data", onData);
      stdin.off("end", onEnd);
      setRawMode(false);
      stdin.pause();
      // The Enter that was typed is not echoed either: end the prompt's line.
      stderr.write("\n");
      if (error === undefined) resolve(value);
      else reject(error);
    };
    const onEnd = (): void => finish();
    const onData = (chunk: Buffer | string): void => {
      for (const char of typeof chunk === "string" ? chunk : chunk.toString("utf8")) {
        if (char === "\r" || char === "\n") return finish();
        if (char === "\u0003") {
          value = "";
          return finish(new CommandError("INTERRUPTED", "Interrupted at the prompt."));
        }
        if (char === "\u0004") {
          if (value === "") return finish();
          continue;
        }
        if (char === "\u007f" || char === "\b") value = value.slice(0, -1);
        else if (char === "\u0015") value = "";
        else value += char;
        if (value.length > MAX_INPUT) {
          value = "";
          return finish(tooLong());
        }
      }
    };
    // Raw before the prompt shows: a key typed or pasted the moment it appears is never echoed.
    setRawMode(true);
    stdin.on("data", onData);
    stdin.on("end", onEnd);
    stdin.resume();
    stderr.write("New OnceHub API key (typing is hidden): ");
  });
}
