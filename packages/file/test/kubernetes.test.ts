import { beforeEach, describe, expect, it } from "@jest/globals";
import { readdir, readlink } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import type { KeyProvider } from "@oncekey/core";
import { fromFile, type FromFileOptions } from "../src/index.js";
import { eventually } from "@oncekey/test-support";
import { KubernetesSecretVolume } from "./support/kubernetes-volume.js";
import { readWhileWriting } from "./support/read-while-writing.js";
import { serves } from "./support/serves.js";
import { useKeyFiles } from "./support/use-key-files.js";

const files = useKeyFiles({ permissions: "ignore" });
const { events } = files;
const open = (options: FromFileOptions): KeyProvider => files.open(options);

const keyNumber = (n: number): string => `ohk_k8s_rotation_${String(n).padStart(4, "0")}_${"x".repeat(24)}`;

let dir: string;
let volume: KubernetesSecretVolume;

beforeEach(() => {
  dir = files.dir;
  volume = new KubernetesSecretVolume(dir);
});

describe(`${fromFile.name} on a Kubernetes secret volume`, () => {
  it("lays the volume out as the kubelet does", async () => {
    await volume.write({ key: keyNumber(1) });
    await volume.write({ key: keyNumber(2) });
    const entries = (await readdir(dir)).sort();
    expect(entries).toEqual([
      expect.stringMatching(/^\.\.\d{4}_\d\d_\d\d_\d\d_\d\d_\d\d\.\d{9}$/),
      "..data",
      "key",
    ]);
    expect(await readlink(join(dir, "key"))).toBe(join("..data", "key"));
    expect(await readlink(join(dir, "..data"))).toBe(entries[0]);
  });

  describe("when the kubelet swaps ..data to a new secret version", () => {
    it("serves the new key within 2 seconds, with a key:rotated event", async () => {
      await volume.write({ key: keyNumber(1) });
      const keys = open({ path: join(dir, "key") });
      expect((await keys.getKey()).reveal()).toBe(keyNumber(1));
      await volume.write({ key: keyNumber(2) });
      await eventually(async () => (await keys.getKey()).reveal() === keyNumber(2), {
        deadlineMs: 2_000,
        what: "serving the new key",
      });
      expect(events).toContainEqual(
        expect.objectContaining({ type: "key:rotated", source: `file:${join(dir, "key")}` }),
      );
    });

    it("reloads only the tenants whose key changed", async () => {
      await volume.write({ acme: keyNumber(1), globex: keyNumber(2) });
      const keys = open({ path: join(dir, "{tenant}") });
      await keys.getKey({ tenant: "acme" });
      await keys.getKey({ tenant: "globex" });
      await volume.write({ acme: keyNumber(3), globex: keyNumber(2) });
      await eventually(async () => (await keys.getKey({ tenant: "acme" })).reveal() === keyNumber(3));
      await keys.getKey({ tenant: "globex" });
      const reloads = events
        .filter((e) => e.type === "key:loaded" && e.reason === "changed")
        .map((e) => e.tenant);
      expect(reloads).toEqual(["acme"]);
    });

    it("announces nothing when a swap leaves the key as it was", async () => {
      await volume.write({ key: keyNumber(1), other: "a" });
      const keys = open({ path: join(dir, "key") });
      const announced: unknown[] = [];
      keys.watch?.((change) => announced.push(change));
      await keys.getKey();
      await volume.write({ key: keyNumber(1), other: "b" });
      // A later swap that does change the key proves the watch was live while the first one was ignored.
      await sleep(300);
      await volume.write({ key: keyNumber(2), other: "b" });
      await eventually(async () => (await keys.getKey()).reveal() === keyNumber(2));
      expect(announced).toEqual([{}]);
    });
  });

  describe.each([
    ["the default cache", {}],
    ["a cache that reads the file at nearly every call", { cache: { ttlMs: 1 } }],
    ["reads at nearly every call, trusted at once", { cache: { ttlMs: 1 }, settleMs: 0 }],
  ])("when 1,000 reads run during 50 swaps, with %s", (_what, options) => {
    it("serves only whole keys, never fails, and ends on the last one", async () => {
      await volume.write({ key: keyNumber(0) });
      const keys = open({ path: join(dir, "key"), ...options });
      await keys.getKey();
      const written = Array.from({ length: 50 }, (_, i) => keyNumber(i + 1));
      const { served, failures } = await readWhileWriting(keys, written, (key) => volume.write({ key }));
      written.push(keyNumber(0));

      expect(failures).toEqual([]);
      for (const key of served) expect(written).toContain(key);
      await eventually(serves(keys, keyNumber(50)), { what: "serving the last key" });
    });
  });
});
