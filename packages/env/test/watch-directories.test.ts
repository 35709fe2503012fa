import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import { watchDirectories } from "../src/dotenv/watch-directories.js";
import { sleep, tempDir, waitFor } from "./helpers.js";

describe(watchDirectories.name, () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let stop: (() => void) | undefined;

  beforeEach(async () => {
    dir = await tempDir();
  });
  afterEach(async () => {
    stop?.();
    stop = undefined;
    await dir.remove();
  });

  describe("when files in the directory change", () => {
    it("coalesces a burst of writes", async () => {
      let calls = 0;
      stop = watchDirectories([dir.path], () => calls++, { debounceMs: 100, pollIntervalMs: 0 });
      for (let i = 0; i < 20; i++) await writeFile(join(dir.path, ".env"), `K=${i}\n`);
      await waitFor(() => calls > 0, "the call");
      expect(calls).toBeLessThan(20);
    });
  });

  describe("when the directory cannot be watched", () => {
    it("falls back to polling", async () => {
      let calls = 0;
      stop = watchDirectories([join(dir.path, "not-there-yet")], () => calls++, {
        debounceMs: 10,
        pollIntervalMs: 20,
      });
      await waitFor(() => calls >= 2, "two polls");
    });
  });

  describe("when stopped", () => {
    it("calls back no more", async () => {
      let calls = 0;
      const stopNow = watchDirectories([dir.path], () => calls++, { debounceMs: 10, pollIntervalMs: 20 });
      stopNow();
      await writeFile(join(dir.path, ".env"), "K=1\n");
      await sleep(100);
      expect(calls).toBe(0);
    });
  });
});
