import { afterEach, describe, expect, it, jest } from "@jest/globals";
import { join } from "node:path";
import type { KeyProvider } from "@oncekey/core";
import type { KeyWarningEvent } from "@oncekey/core/source";
import { fromFile, type FromFileOptions } from "../src/index.js";
import { spyOnFileSystem } from "./support/fs-spies.js";
import { writeKeyFile } from "./support/key-file.js";
import { useKeyFiles } from "./support/use-key-files.js";

const files = useKeyFiles();
const open = (options: FromFileOptions): KeyProvider => files.open(options);
const keyFile = (name: string, mode: number): Promise<string> =>
  writeKeyFile(join(files.dir, name), "ohk_permissions_key", mode);

const warnings = (): KeyWarningEvent[] =>
  files.events.filter((e): e is KeyWarningEvent => e.type === "key:warning" && e.code === "FILE_PERMISSIONS");

afterEach(() => {
  jest.restoreAllMocks();
});

describe(`${fromFile.name} permissions`, () => {
  describe('when "warn" (the default)', () => {
    it("serves a Kubernetes-style 0644 file and warns once, naming the file and the mode", async () => {
      const path = await keyFile("oncehub", 0o644);
      const keys = open({ path, watch: false });
      const key = await keys.getKey();
      keys.invalidate?.(key);
      await keys.getKey();
      expect(warnings()).toEqual([
        expect.objectContaining({
          source: `file:${path}`,
          message: expect.stringContaining(`${path} is readable by group and others (mode 0644)`),
        }),
      ]);
    });

    it("warns about a Docker-style 0444 file", async () => {
      await open({ path: await keyFile("oncehub", 0o444) }).getKey();
      expect(warnings()).toHaveLength(1);
    });

    it("warns once per file, each tenant's file on its own", async () => {
      await keyFile("acme", 0o640);
      await keyFile("globex", 0o604);
      const keys = open({ path: join(files.dir, "{tenant}") });
      await keys.getKey({ tenant: "acme" });
      await keys.getKey({ tenant: "globex" });
      expect(warnings().map((w) => [w.tenant, w.message.match(/readable by ([a-z ]+) \(/)?.[1]])).toEqual([
        ["acme", "its group"],
        ["globex", "others"],
      ]);
    });

    it("says nothing about a 0600 or 0400 file", async () => {
      await open({ path: await keyFile("a", 0o600) }).getKey();
      await open({ path: await keyFile("b", 0o400) }).getKey();
      expect(warnings()).toEqual([]);
    });
  });

  describe('when "refuse"', () => {
    it("refuses a file that others may read before opening it", async () => {
      const path = await keyFile("oncehub", 0o644);
      const keys = open({ path, permissions: "refuse" });
      const spies = spyOnFileSystem();
      const failure = keys.getKey();
      await expect(failure).rejects.toMatchObject({ code: "KEY_SOURCE", source: `file:${path}` });
      await expect(failure).rejects.toThrow(/readable by group and others \(mode 0644\).*chmod 600/);
      expect(spies.calls("open")).toEqual([]);
    });

    it("serves a file only its owner may read", async () => {
      const path = await keyFile("oncehub", 0o400);
      await expect(open({ path, permissions: "refuse" }).getKey()).resolves.toMatchObject({
        source: `file:${path}`,
      });
    });
  });

  describe('when "ignore"', () => {
    it("serves any file without a word", async () => {
      await open({ path: await keyFile("oncehub", 0o666), permissions: "ignore" }).getKey();
      expect(warnings()).toEqual([]);
    });
  });
});
