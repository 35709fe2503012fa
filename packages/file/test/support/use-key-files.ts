import { afterEach, beforeEach } from "@jest/globals";
import type { KeyProvider, OnceKeyEvent } from "@oncekey/core";
import { fromFile, type FromFileOptions } from "../../src/index.js";
import { makeTempDir, removeTempDir } from "./temp-dir.js";

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
 * Gives each test of the file a fresh temporary directory and closes every provider it opened, then removes the
 * directory, so no watch or timer outlives its test.
 *
 * @param defaults - Options every `open` starts from, e.g. `{ permissions: "ignore" }`.
 */
export function useKeyFiles(defaults: Partial<FromFileOptions> = {}): KeyFilesContext {
  let dir: string | undefined;
  const events: OnceKeyEvent[] = [];
  const providers: KeyProvider[] = [];

  beforeEach(async () => {
    events.length = 0;
    dir = await makeTempDir();
  });
  afterEach(async () => {
    await Promise.all(providers.splice(0).map((p) => p.close?.()));
    await removeTempDir(dir);
    dir = undefined;
  });

  const track = <P extends KeyProvider>(provider: P): P => {
    providers.push(provider);
    return provider;
  };
  return {
    get dir(): string {
      if (dir === undefined) throw new Error("useKeyFiles: the directory exists only while a test runs");
      return dir;
    },
    events,
    open: (options) =>
      track(fromFile({ ...defaults, ...options, onEvent: (event) => events.push(event) } as FromFileOptions)),
    track,
  };
}
