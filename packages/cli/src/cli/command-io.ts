/**
 * A stream the command writes to: `process.stdout`, `process.stderr`, or a stand-in.
 *
 * @example
 * ```ts
 * const lines: string[] = [];
 * const stdout: CommandOutput = { write: (text) => lines.push(text) };
 * ```
 */
export interface CommandOutput {
  /** Writes `text` as given (newlines included); what it returns is ignored. */
  write(text: string): unknown;
  /** Whether a terminal is attached; colour and progress lines appear only then. */
  readonly isTTY?: boolean;
}

/**
 * Standard input as the command reads it: a stream, and on a terminal the raw mode that hides typing.
 *
 * @example
 * ```ts
 * const stdin: CommandInput = Readable.from([`${newKey}\n`]); // a key piped in, as `rotate` reads it
 * ```
 */
export interface CommandInput extends AsyncIterable<Buffer | string> {
  /** Whether a terminal is attached. */
  readonly isTTY?: boolean;
  /** Turns echo and line editing off (`true`) or back on; present on a terminal. */
  setRawMode?(mode: boolean): unknown;
  /** Calls `listener` with each chunk read: on a terminal in raw mode, the keys as they are typed. */
  on(event: "data", listener: (chunk: Buffer | string) => void): unknown;
  /** Calls `listener` when the input ends (it is closed, or a pipe has no more). */
  on(event: "end", listener: () => void): unknown;
  /** Removes a `data` listener added with `on`. */
  off(event: "data", listener: (chunk: Buffer | string) => void): unknown;
  /** Removes an `end` listener added with `on`. */
  off(event: "end", listener: () => void): unknown;
  /** Starts (or restarts) the flow of `data` events. */
  resume(): unknown;
  /** Stops the flow of `data` events once the prompt has its answer, so the input no longer holds the process. */
  pause(): unknown;
}

/** What a command reads and writes; `process`'s own streams and environment unless a caller passes others. */
export interface CommandIo {
  readonly stdin: CommandInput;
  readonly stdout: CommandOutput;
  readonly stderr: CommandOutput;
  /** The configuration (`ONCEKEY_SOURCE` …) and `NO_COLOR`. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Stops a long-running command (`sandbox`). */
  readonly signal: AbortSignal | undefined;
}
