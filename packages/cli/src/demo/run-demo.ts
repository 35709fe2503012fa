import { ConfigError } from "@oncekey/core";
import { checkOptionNames } from "@oncekey/core/source";
import { startSandbox } from "@oncekey/sandbox";
import type { CommandOutput } from "../cli/command-io.js";
import { tellDemo } from "./tell-demo.js";

/**
 * Options of {@link runDemo}.
 *
 * @example
 * ```ts
 * const options: RunDemoOptions = { stdout: process.stdout };
 * ```
 */
export interface RunDemoOptions {
  /**
   * Where the tour is told.
   * @defaultValue `process.stdout`
   */
  readonly stdout?: CommandOutput;
}

/**
 * A tour of oncekey against a local sandbox, told on stdout: the key source chosen by configuration
 * (`ONCEKEY_SOURCE=file,env`), bookings page after page, a key file rotated the way OnceHub recommends and the
 * legacy way, a signed webhook verified, and what the logs saw of the key (fingerprints, never the key). Needs
 * no network; leaves nothing behind.
 *
 * @param options - {@link RunDemoOptions}.
 * @throws `ConfigError` for an unknown option or a `stdout` that cannot be written.
 * @example
 * ```ts
 * import { runDemo } from "@oncekey/cli";
 *
 * await runDemo();
 * ```
 */
export async function runDemo(options: RunDemoOptions = {}): Promise<void> {
  checkOptionNames(options, ["stdout"], "runDemo");
  const stdout = options.stdout ?? process.stdout;
  if (typeof stdout?.write !== "function") {
    throw new ConfigError("runDemo: stdout must be a stream with a write method.", { variable: "stdout" });
  }
  const sandbox = await startSandbox({ rateLimit: 5 });
  try {
    await tellDemo(sandbox, (text = "") => void stdout.write(`${text}\n`));
  } finally {
    await sandbox.close();
  }
}
