import { afterEach, beforeEach, describe, expect, it, jest } from "@jest/globals";
import { chmod, utimes, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { KeyProvider, KeyWarningEvent, OnceKeyEvent } from "@oncekey/core";
import { fromFile, type FromFileOptions } from "../src/index.js";
import { spyOnFileSystem } from "./support/fs-spies.js";
import { makeTempDir, removeTempDir } from "./support/temp-dir.js";

let dir: string;
let events: OnceKeyEvent[];
let providers: KeyProvider[] = [];

function open(options: Omit<FromFileOptions, "onEvent">): KeyProvider {
  const provider = fromFile({ ...options, onEvent: (event) => events.push(event) });
  providers.push(provider);
  return provider;
}

async function keyFile(name: string, mode: number, content = "ohk_permissions_key"): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, content);
  await chmod(path, mode);
  const past = new Date(Date.now() - 60_000);
  await utimes(path, past, past);
  return path;
}

const warnings = (): KeyWarningEvent[] =>
  events.filter((e): e is KeyWarningEvent => e.type === "key:warning" && e.code === "FILE_PERMISSIONS");

beforeEach(async () => {
  dir = await makeTempDir();
  events = [];
});

afterEach(async () => {
  jest.restoreAllMocks();
  await Promise.all(providers.map((p) => p.close?.()));
  providers = [];
  await removeTempDir(dir);
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
      const keys = open({ path: join(dir, "{tenant}") });
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
