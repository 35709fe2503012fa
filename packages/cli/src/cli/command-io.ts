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
  write(text: string): unknown;
  /** Whether a terminal is attached; colour and progress lines appear only then. */
  readonly isTTY?: boolean;
}

/** Standard input as the command reads it: a stream, and on a terminal the raw mode that hides typing. */
export interface CommandInput extends AsyncIterable<Buffer | string> {
  /** Whether a terminal is attached. */
  readonly isTTY?: boolean;
  /** Turns echo and line editing off (`true`) or back on; present on a terminal. */
  setRawMode?(mode: boolean): unknown;
  on(event: "data", listener: (chunk: Buffer | string) => void): unknown;
  on(event: "end", listener: () => void): unknown;
  off(event: "data", listener: (chunk: Buffer | string) => void): unknown;
  off(event: "end", listener: () => void): unknown;
  resume(): unknown;
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
