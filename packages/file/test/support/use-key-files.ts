import { beforeEach } from "@jest/globals";
import type { KeyProvider, OnceKeyEvent } from "@oncekey/core";
import { useTempDir } from "@oncekey/test-support";
import { fromFile, type FromFileOptions } from "../../src/index.js";

/** What {@link useKeyFiles} gives a test file. */
export interface KeyFilesContext {
  /** This test's fresh temporary directory. */
  readonly dir: string;
  /** The events the providers opened in this test emitted. */
  readonly events: OnceKeyEvent[];
  /** A `fromFile` provider over `defaults` and `options`, closed after the test; its events go to `events`. */
  open(options: Partial<FromFileOptions>): KeyProvider;
  /** Closes `provider` after the test. */
  track<P extends KeyProvider>(provider: P): P;
}

/**
 * test-support's `useTempDir` with `fromFile` at hand: each test gets a fresh directory, and every provider it
 * opened is closed before the directory is removed, so no watch or timer outlives its test.
 *
 * @param defaults - Options every `open` starts from, e.g. `{ permissions: "ignore" }`.
 */
export function useKeyFiles(defaults: Partial<FromFileOptions> = {}): KeyFilesContext {
  const temp = useTempDir("oncekey-file-");
  const events: OnceKeyEvent[] = [];
  beforeEach(() => {
    events.length = 0;
  });
  return {
    get dir(): string {
      return temp.path;
    },
    events,
    open: (options) =>
      temp.track(
        fromFile({ ...defaults, ...options, onEvent: (event) => events.push(event) } as FromFileOptions),
      ),
    track: (provider) => temp.track(provider),
  };
}
