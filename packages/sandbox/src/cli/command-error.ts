/**
 * A failure the command reports in one line and an exit code, without a stack: 2 for what the user can fix in
 * the arguments or the files they name (the configuration exit code of the `oncekey` command), 1 for anything
 * else (a port in use, a disk that refuses a write).
 *
 * @example
 * ```ts
 * throw new CommandError(`--port takes a whole number, got "http".`, 2);
 * ```
 */
export class CommandError extends Error {
  readonly exitCode: 1 | 2;

  constructor(message: string, exitCode: 1 | 2, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "CommandError";
    this.exitCode = exitCode;
  }
}
