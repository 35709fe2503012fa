import { beforeEach, describe, expect, it } from "@jest/globals";
import { rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import type { KeyProvider } from "@oncekey/core";
import { fromFile, type FromFileOptions } from "../src/index.js";
import { eventually } from "@oncekey/test-support";
import { spyOnFileSystem } from "./support/fs-spies.js";
import { writeKeyFile } from "./support/key-file.js";
import { useKeyFiles } from "./support/use-key-files.js";

const files = useKeyFiles({ permissions: "ignore" });
const { events } = files;
const keyNumber = (n: number): string => `ohk_grace_${String(n).padStart(4, "0")}_${"g".repeat(24)}`;

let path: string;

beforeEach(async () => {
  path = await writeKeyFile(join(files.dir, "oncehub"), keyNumber(1));
});

const open = (options: Partial<FromFileOptions> = {}): KeyProvider => files.open({ path, ...options });

describe(`${fromFile.name} while a key file is rewritten (rewriteGraceMs)`, () => {
  describe("when the file stays away", () => {
    it("says not found once the file stays away past rewriteGraceMs", async () => {
      const keys = open({ settleMs: 5, rewriteGraceMs: 300, cache: { retryAfterErrorMs: 50 } });
      await keys.getKey();
      await rm(path);
      await eventually(
        () =>
          keys.getKey().then(
            () => false,
            (error: { code?: string }) => error.code === "KEY_NOT_FOUND",
          ),
        { what: "reporting the file as absent" },
      );
    });
  });

  describe("when the file stays empty or broken for a while after a key was served", () => {
    it.each([
      ["emptied", (): Promise<void> => writeFile(path, "")],
      ["removed", (): Promise<void> => rm(path)],
      ["broken", (): Promise<void> => writeFile(path, `${keyNumber(2)} ${keyNumber(3)}`)],
    ])("keeps serving the last good key while %s, within rewriteGraceMs", async (_what, spoil) => {
      // A reload at every call, as after a reported change: each one finds the file spoilt.
      const keys = open({ cache: { ttlMs: 1, retryAfterErrorMs: 0 } });
      await keys.getKey();
      await spoil();
      const until = Date.now() + 700;
      const failures: unknown[] = [];
      for (let i = 0; i < 200 && Date.now() < until; i++) {
        await keys.getKey().then(
          (key) => expect(key.reveal()).toBe(keyNumber(1)),
          (error: unknown) => failures.push(error),
        );
        await sleep(10);
      }
      expect(failures).toEqual([]);
      expect(events).toContainEqual(
        expect.objectContaining({
          type: "key:stale",
          errorMessage: expect.stringMatching(/rewrite in progress/),
        }),
      );
    });

    it("looks for a file gone a few times only before serving the last good key, not keeping callers waiting", async () => {
      // No watch, so that only the caller's looks are counted.
      const keys = open({ watch: false, cache: { ttlMs: 1, retryAfterErrorMs: 0 } });
      await keys.getKey();
      await rm(path);
      // Past the 1 ms TTL for certain: a call within it is served from the cache and looks nowhere.
      await sleep(20);
      const spies = spyOnFileSystem();
      await expect(keys.getKey().then((key) => key.reveal())).resolves.toBe(keyNumber(1));
      const looks = spies.calls("realpath").filter((call) => call === `realpath ${path}`);
      spies.restore();
      expect(looks.length).toBeGreaterThan(1);
      expect(looks.length).toBeLessThanOrEqual(4);
    });

    it("reports the broken file once rewriteGraceMs has passed", async () => {
      const keys = open({ rewriteGraceMs: 300, cache: { ttlMs: 1, retryAfterErrorMs: 0 } });
      await keys.getKey();
      await writeFile(path, "");
      await eventually(
        () =>
          keys.getKey().then(
            () => false,
            (error: { code?: string }) => error.code === "KEY_FORMAT",
          ),
        { what: "reporting the empty file" },
      );
    });
  });
});
