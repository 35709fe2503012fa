import { mkdtemp, realpath, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach } from "@jest/globals";

/** What {@link useTempDir} gives a `describe` block. */
export interface TempDirContext {
  /** This test's fresh temporary directory (symbolic links resolved). */
  readonly path: string;
  /** Closes `resource` after the test, before the directory is removed; returns it. */
  track<R extends { close?(): unknown }>(resource: R): R;
}

/**
 * Gives each test of the enclosing block a fresh temporary directory, and closes what the test tracked (providers,
 * clients, watchers) before removing the directory, so no watch or timer outlives its test.
 *
 * @param prefix - The directory name's prefix. @defaultValue "oncekey-"
 * @example
 * ```ts
 * const dir = useTempDir();
 * it("reads the key", async () => {
 *   await writeFile(join(dir.path, "key"), key, { mode: 0o600 });
 *   const keys = dir.track(fromFile({ path: join(dir.path, "key") }));
 * });
 * ```
 */
export function useTempDir(prefix = "oncekey-"): TempDirContext {
  let path: string | undefined;
  const tracked: { close?(): unknown }[] = [];
  beforeEach(async () => {
    path = await realpath(await mkdtemp(join(tmpdir(), prefix)));
  });
  afterEach(async () => {
    await Promise.all(tracked.splice(0).map((resource) => resource.close?.()));
    if (path !== undefined) await rm(path, { recursive: true, force: true });
    path = undefined;
  });
  return {
    get path(): string {
      if (path === undefined) throw new Error("useTempDir: the directory exists only while a test runs.");
      return path;
    },
    track(resource) {
      tracked.push(resource);
      return resource;
    },
  };
}
