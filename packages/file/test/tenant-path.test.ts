import { afterEach, beforeEach, describe, expect, it, jest } from "@jest/globals";
import { execFileSync } from "node:child_process";
import type * as FsPromises from "node:fs/promises";
import { link, mkdir, rename, symlink, unlink } from "node:fs/promises";
import { createRequire } from "node:module";
import { join } from "node:path";
import type { KeyProvider } from "@oncekey/core";
import { fromFile } from "../src/index.js";
import { spyOnFileSystem } from "./support/fs-spies.js";
import { KubernetesSecretVolume } from "./support/kubernetes-volume.js";
import { writeKeyFile } from "./support/key-file.js";
import { useKeyFiles } from "./support/use-key-files.js";

const require = createRequire(__filename);
const fsPromises = require("node:fs/promises") as typeof FsPromises;

const OUTSIDE_KEY = "canary-outside-Xq7Lm2Pz9Rt4Wv8N";

const files = useKeyFiles({ permissions: "ignore" });
const open = (path: string): KeyProvider => files.open({ path });
const keyFile = (path: string, content: string): Promise<string> => writeKeyFile(path, content);

let root: string;
let tenants: string;

beforeEach(async () => {
  root = files.dir;
  tenants = join(root, "tenants");
  await mkdir(tenants);
  await mkdir(join(root, "outside"));
  // What a traversal would be after: a key that belongs to nobody who asks.
  await keyFile(join(root, "outside", "key"), OUTSIDE_KEY);
  await keyFile(join(root, "x"), OUTSIDE_KEY);
});

afterEach(() => {
  jest.restoreAllMocks();
});

describe(`${fromFile.name} with {tenant} in the path`, () => {
  describe("when tenants have their files", () => {
    it("serves each tenant its own file, named by its path", async () => {
      await keyFile(join(tenants, "acme"), "key-of-acme");
      await keyFile(join(tenants, "globex"), "key-of-globex");
      const keys = open(join(tenants, "{tenant}"));
      const acme = await keys.getKey({ tenant: "acme" });
      const globex = await keys.getKey({ tenant: "globex" });
      expect(acme.reveal()).toBe("key-of-acme");
      expect(acme.source).toBe(`file:${join(tenants, "acme")}`);
      expect(globex.reveal()).toBe("key-of-globex");
    });

    it("fills {tenant} inside a file name and in a directory", async () => {
      await keyFile(join(tenants, "oncehub-acme.key"), "key-of-acme");
      await mkdir(join(tenants, "globex"));
      await keyFile(join(tenants, "globex", "key"), "key-of-globex");
      await expect(
        open(join(tenants, "oncehub-{tenant}.key")).getKey({ tenant: "acme" }),
      ).resolves.toMatchObject({
        source: `file:${join(tenants, "oncehub-acme.key")}`,
      });
      await expect(
        open(join(tenants, "{tenant}", "key")).getKey({ tenant: "globex" }),
      ).resolves.toMatchObject({
        source: `file:${join(tenants, "globex", "key")}`,
      });
    });

    it("follows Kubernetes' own links (acme -> ..data/acme), which stay inside the directory", async () => {
      await new KubernetesSecretVolume(tenants).write({ acme: "key-of-acme" });
      await expect(open(join(tenants, "{tenant}")).getKey({ tenant: "acme" })).resolves.toMatchObject({
        source: `file:${join(tenants, "acme")}`,
      });
    });

    it("says not found for a tenant without a file", async () => {
      await expect(open(join(tenants, "{tenant}")).getKey({ tenant: "initech" })).rejects.toMatchObject({
        code: "KEY_NOT_FOUND",
        source: `file:${join(tenants, "initech")}`,
      });
    });

    it("says not found when no tenant is given", async () => {
      const failure = open(join(tenants, "{tenant}")).getKey();
      await expect(failure).rejects.toMatchObject({ code: "KEY_NOT_FOUND" });
      await expect(failure).rejects.toThrow(/holds \{tenant\}, but the request names no tenant/);
    });
  });

  describe("when the path holds no {tenant}", () => {
    it("serves its key to no tenant, as the key belongs to none", async () => {
      await keyFile(join(tenants, "shared"), "shared-key");
      const keys = open(join(tenants, "shared"));
      await expect(keys.getKey()).resolves.toMatchObject({ source: `file:${join(tenants, "shared")}` });
      await expect(keys.getKey({ tenant: "acme" })).rejects.toMatchObject({ code: "KEY_NOT_FOUND" });
    });
  });

  describe("when a tenant id tries to leave the directory", () => {
    it.each([
      ["..", ".."],
      ["../x", "../x"],
      ["../outside/key", "../outside/key"],
      ["%2e%2e", "%2e%2e"],
      ["%2e%2e%2fx", "%2e%2e%2fx"],
      ["an absolute path", "/tmp/x"],
      ["/etc/passwd", "/etc/passwd"],
      ["a NUL byte", "acme\0.key"],
      ["a backslash", "..\\x"],
      ["an empty id", ""],
    ])("refuses %s before touching the file system", async (_what, tenant) => {
      const keys = open(join(tenants, "{tenant}"));
      const spies = spyOnFileSystem();
      const failure = keys.getKey({ tenant });
      await expect(failure).rejects.toMatchObject({ code: "INVALID_TENANT" });
      await expect(failure).rejects.toThrow(/Invalid tenant id/);
      expect(spies.calls()).toEqual([]);
    });
  });

  describe("when a tenant's file is a link out of the directory", () => {
    it("refuses a link to a file outside, naming why, without opening anything", async () => {
      await symlink(join(root, "outside", "key"), join(tenants, "evil"));
      const keys = open(join(tenants, "{tenant}"));
      const spies = spyOnFileSystem();
      const failure = keys.getKey({ tenant: "evil" });
      await expect(failure).rejects.toMatchObject({
        code: "KEY_SOURCE",
        source: `file:${join(tenants, "evil")}`,
      });
      await expect(failure).rejects.toThrow(
        `resolves to ${join(root, "outside", "key")}, outside ${tenants}`,
      );
      expect(spies.calls("realpath")).toContain(`realpath ${join(tenants, "evil")}`);
      expect(spies.calls("open")).toEqual([]);
      expect(spies.calls("readFile")).toEqual([]);
    });

    it("refuses a relative link that climbs out", async () => {
      await symlink("../x", join(tenants, "climber"));
      await expect(open(join(tenants, "{tenant}")).getKey({ tenant: "climber" })).rejects.toMatchObject({
        code: "KEY_SOURCE",
      });
    });

    it("refuses a tenant directory that is a link out", async () => {
      await symlink(join(root, "outside"), join(tenants, "evil"));
      const keys = open(join(tenants, "{tenant}", "key"));
      const spies = spyOnFileSystem();
      await expect(keys.getKey({ tenant: "evil" })).rejects.toMatchObject({ code: "KEY_SOURCE" });
      expect(spies.calls("open")).toEqual([]);
    });

    it("never opens a named pipe outside, so nothing blocks", async () => {
      const fifo = join(root, "outside", "fifo");
      execFileSync("mkfifo", [fifo]);
      await symlink(fifo, join(tenants, "evil"));
      const keys = open(join(tenants, "{tenant}"));
      const spies = spyOnFileSystem();
      await expect(keys.getKey({ tenant: "evil" })).rejects.toMatchObject({ code: "KEY_SOURCE" });
      expect(spies.calls().filter((call) => call.includes(fifo) && !call.startsWith("realpath"))).toEqual([]);
    });
  });

  describe("when tenant ids differ only in case", () => {
    it("serves each its own file where the file system tells case apart", async () => {
      await keyFile(join(tenants, "acme"), "key-of-acme");
      await keyFile(join(tenants, "ACME"), "key-of-ACME");
      const keys = open(join(tenants, "{tenant}"));
      await expect(keys.getKey({ tenant: "ACME" }).then((k) => k.reveal())).resolves.toBe("key-of-ACME");
      await expect(keys.getKey({ tenant: "acme" }).then((k) => k.reveal())).resolves.toBe("key-of-acme");
    });

    it("refuses a spelling other than the file's where the file system ignores case", async () => {
      // Such a file system answers for both spellings with one file, and lists it under the name it was made with.
      await keyFile(join(tenants, "acme"), "key-of-acme");
      await link(join(tenants, "acme"), join(tenants, "ACME"));
      const listing = fsPromises.readdir;
      jest
        .spyOn(fsPromises, "readdir")
        .mockImplementation((async (path: string) =>
          (await listing(path)).filter((name) => name !== "ACME")) as typeof fsPromises.readdir);
      const keys = open(join(tenants, "{tenant}"));
      const spies = spyOnFileSystem();
      await expect(keys.getKey({ tenant: "ACME" })).rejects.toMatchObject({
        code: "INVALID_TENANT",
        message: expect.stringContaining(`would read ${join(tenants, "acme")}`),
      });
      expect(spies.calls("open")).toEqual([]);
      await expect(keys.getKey({ tenant: "acme" }).then((k) => k.reveal())).resolves.toBe("key-of-acme");
    });
  });

  describe("when a tenant's directory is swapped for a link out between the check and the open", () => {
    it("refuses the file it opened, even when the directory is swapped back before a second look", async () => {
      await mkdir(join(tenants, "acme"));
      const file = join(tenants, "acme", "key");
      await keyFile(file, "key-of-acme");
      const keys = open(join(tenants, "{tenant}", "key"));
      const original = { stat: fsPromises.stat, open: fsPromises.open };
      let swapped = false;
      // The race an attacker who can write to the tenants' directory would run in a loop, made to win once.
      jest.spyOn(fsPromises, "stat").mockImplementation((async (path: string, options?: object) => {
        if (path === file && !swapped) {
          swapped = true;
          await rename(join(tenants, "acme"), join(tenants, "acme.aside"));
          await symlink(join(root, "outside"), join(tenants, "acme"));
        }
        return original.stat(path, options);
      }) as typeof fsPromises.stat);
      jest.spyOn(fsPromises, "open").mockImplementation((async (path: string, flags?: number) => {
        const handle = await original.open(path, flags);
        if (path === file && swapped) {
          await unlink(join(tenants, "acme"));
          await rename(join(tenants, "acme.aside"), join(tenants, "acme"));
        }
        return handle;
      }) as typeof fsPromises.open);

      const outcome = await keys.getKey({ tenant: "acme" }).then(
        (key) => key.reveal(),
        (error: unknown) => error,
      );
      expect(swapped).toBe(true);
      expect(outcome).not.toBe(OUTSIDE_KEY);
      expect(outcome).toMatchObject({ code: "KEY_SOURCE", message: expect.stringContaining("outside") });
    });
  });
});
