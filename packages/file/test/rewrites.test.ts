import { beforeEach, describe, expect, it } from "@jest/globals";
import { chmod, mkdir, open as openFile, rename, rm, symlink, utimes, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import type { KeyProvider } from "@oncekey/core";
import type { KeyChangeListener } from "@oncekey/core/source";
import { fromFile, type FromFileOptions } from "../src/index.js";
import { eventually } from "@oncekey/test-support";
import { readWhileWriting } from "./support/read-while-writing.js";
import { serves } from "./support/serves.js";
import { useKeyFiles } from "./support/use-key-files.js";

const files = useKeyFiles({ permissions: "ignore" });

let dir: string;
let path: string;

const open = (options: Partial<FromFileOptions> = {}, at = path): KeyProvider =>
  files.open({ path: at, ...options });

const keyNumber = (n: number): string => `ohk_rewrite_${String(n).padStart(4, "0")}_${"y".repeat(24)}`;

/** Rewrites the file in place, as `echo key > file` or a careless script does: truncate, then write. */
async function rewriteInPlace(file: string, content: string, pauseMs = 0): Promise<void> {
  const handle = await openFile(file, "r+");
  try {
    await handle.truncate(0);
    const half = Math.floor(content.length / 2);
    await handle.write(content.slice(0, half), 0);
    if (pauseMs > 0) await sleep(pauseMs);
    await handle.write(content.slice(half), half);
  } finally {
    await handle.close();
  }
}

/** Writes a temporary file and renames it over the key file, as editors and careful tools do. */
async function replaceByRename(file: string, content: string, mode = 0o600): Promise<void> {
  const temporary = `${file}.tmp-${process.pid}`;
  await writeFile(temporary, content, { mode });
  await rename(temporary, file);
}

async function watchAnnouncements(keys: KeyProvider): Promise<unknown[]> {
  const announced: unknown[] = [];
  const listener: KeyChangeListener = (change) => announced.push(change);
  keys.watch?.(listener);
  return announced;
}

beforeEach(async () => {
  dir = files.dir;
  path = join(dir, "oncehub");
  await writeFile(path, keyNumber(1), { mode: 0o600 });
});

describe(`${fromFile.name} following a rewritten file`, () => {
  describe("when the file is rewritten in place", () => {
    it("serves the new key", async () => {
      const keys = open();
      expect((await keys.getKey()).reveal()).toBe(keyNumber(1));
      await rewriteInPlace(path, keyNumber(2));
      await eventually(serves(keys, keyNumber(2)), { what: "serving the rewritten key" });
    });

    it("announces one change for a burst of writes", async () => {
      // A debounce wide enough for 19 rewrites on a busy machine, stalls included; the default is 100 ms.
      const keys = open({ debounceMs: 1_500 });
      const announced = await watchAnnouncements(keys);
      await keys.getKey();
      for (let n = 2; n <= 20; n++) await rewriteInPlace(path, keyNumber(n));
      await eventually(serves(keys, keyNumber(20)));
      expect(announced).toEqual([{}]);
    });

    it("announces one change for a burst of writes that lasts longer than the debounce", async () => {
      // Each write settles before the next (60 ms apart, settleMs 50), but the events never pause for the debounce
      // (wide enough that a stall of the test process is no pause either).
      const keys = open({ debounceMs: 1_500 });
      const announced = await watchAnnouncements(keys);
      await keys.getKey();
      // Forty writes: some 2.4 s, longer than the debounce.
      for (let n = 2; n <= 41; n++) {
        await writeFile(path, keyNumber(n));
        await sleep(60);
      }
      await eventually(serves(keys, keyNumber(41)), { what: "serving the last key" });
      expect(announced).toEqual([{}]);
    });

    it("announces nothing when the content stays the same", async () => {
      const keys = open();
      const announced = await watchAnnouncements(keys);
      await keys.getKey();
      await rewriteInPlace(path, keyNumber(1));
      const later = new Date(Date.now() + 5_000);
      await utimes(path, later, later);
      await sleep(400);
      // A real change afterwards proves the watch was listening all along.
      await rewriteInPlace(path, keyNumber(2));
      await eventually(serves(keys, keyNumber(2)));
      expect(announced).toEqual([{}]);
    });

    it("serves only whole keys while 1,000 reads run during 50 half-paused rewrites", async () => {
      const keys = open({ cache: { ttlMs: 1 } });
      await keys.getKey();
      const written = Array.from({ length: 50 }, (_, i) => keyNumber(i + 2));
      const { served, failures } = await readWhileWriting(
        keys,
        written,
        (key, i) => rewriteInPlace(path, key, i % 2),
        { pauseAfterWrite: (i) => (i % 5 === 3 ? 30 : 3) },
      );
      written.push(keyNumber(1));

      expect(failures).toEqual([]);
      for (const key of served) expect(written).toContain(key);
      await eventually(serves(keys, keyNumber(51)), { what: "serving the last key" });
    });
  });

  describe("when a new file is renamed over it", () => {
    it("serves the new key, as after an editor's save", async () => {
      const keys = open();
      await keys.getKey();
      await replaceByRename(path, `${keyNumber(2)}\n`);
      await eventually(serves(keys, keyNumber(2)));
    });

    it("serves the new key of a read-only Docker-style secret (0444)", async () => {
      await chmod(path, 0o444);
      const keys = open();
      await keys.getKey();
      await replaceByRename(path, keyNumber(2), 0o444);
      await eventually(serves(keys, keyNumber(2)));
    });
  });

  describe("when the file is deleted, then written again", () => {
    it("keeps serving the old key in between and the new one after", async () => {
      const keys = open();
      await keys.getKey();
      await rm(path);
      // Read until a read found the file gone (the watcher made the cache reload it): only the rewrite grace turns
      // that "not found" into the last good key, which is why a failing read ends this test.
      const during = await eventually(
        async () => {
          const key = await keys.getKey();
          return files.events.some((event) => event.type === "key:stale") ? key : undefined;
        },
        { what: "a read while the file is gone" },
      );
      expect(during.reveal()).toBe(keyNumber(1));
      await writeFile(path, keyNumber(2), { mode: 0o600 });
      await eventually(serves(keys, keyNumber(2)));
    });
  });

  describe("when the directory holding the file is replaced", () => {
    it("serves the key of the new directory, and of the one after", async () => {
      const tenants = join(dir, "tenants");
      await mkdir(join(tenants, "acme"), { recursive: true });
      await writeFile(join(tenants, "acme", "key"), keyNumber(1), { mode: 0o600 });
      const keys = open({}, join(tenants, "{tenant}", "key"));
      await keys.getKey({ tenant: "acme" });
      for (const n of [2, 3]) {
        await sleep(150);
        await mkdir(join(tenants, `acme.new-${n}`));
        await writeFile(join(tenants, `acme.new-${n}`, "key"), keyNumber(n), { mode: 0o600 });
        await rm(join(tenants, "acme"), { recursive: true });
        await rename(join(tenants, `acme.new-${n}`), join(tenants, "acme"));
        await eventually(serves(keys, keyNumber(n), { tenant: "acme" }), {
          what: `serving key ${n} from the new directory`,
        });
      }
    });
  });

  describe("when the file is a link to a file elsewhere", () => {
    it("notices in-place rewrites of the target, which its directory does not see", async () => {
      const elsewhere = join(dir, "elsewhere");
      await mkdir(elsewhere);
      await mkdir(join(dir, "secrets"));
      await writeFile(join(elsewhere, "key"), keyNumber(1), { mode: 0o600 });
      await symlink(join(elsewhere, "key"), join(dir, "secrets", "oncehub"));
      const keys = open({}, join(dir, "secrets", "oncehub"));
      await keys.getKey();
      await sleep(150);
      await rewriteInPlace(join(elsewhere, "key"), keyNumber(2));
      await eventually(serves(keys, keyNumber(2)), { what: "serving the rewritten target" });
    });
  });
});
