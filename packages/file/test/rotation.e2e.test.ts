import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import { mkdir, rename, utimes, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { OnceHubClient, type KeyProvider, type OnceKeyEvent } from "@oncekey/core";
import { keyFingerprint, type Sandbox } from "@oncekey/sandbox";
import { fileSource, fromFile } from "../src/index.js";
import { eventually } from "@oncekey/test-support";
import { KubernetesSecretVolume } from "./support/kubernetes-volume.js";
import { useKeyFiles } from "./support/use-key-files.js";
import { useSandbox } from "@oncekey/test-support";

const files = useKeyFiles();
const oncehub = useSandbox();
let sandbox: Sandbox;
let dir: string;
const clients: OnceHubClient[] = [];

/** Calls `call` over and over until stopped, counting calls and keeping every failure. */
function keepCalling(call: () => Promise<unknown>): () => Promise<{ calls: number; failures: unknown[] }> {
  let stopped = false;
  let calls = 0;
  const failures: unknown[] = [];
  const loop = (async () => {
    // Bounded: a test that forgets to stop still ends.
    for (let i = 0; i < 5_000 && !stopped; i++) {
      calls++;
      await call().catch((error: unknown) => failures.push(error));
      await sleep(2);
    }
  })();
  return async () => {
    stopped = true;
    await loop;
    return { calls, failures };
  };
}

function client(keys: KeyProvider): OnceHubClient {
  const made = new OnceHubClient({ keys, baseUrl: sandbox.baseUrl, ca: sandbox.ca, pacing: false });
  clients.push(made);
  files.track(keys);
  return made;
}

beforeEach(() => {
  sandbox = oncehub();
  dir = files.dir;
  sandbox.requests.clear();
});

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
});

describe("key file rotation end to end", () => {
  describe("when the kubelet swaps the secret to a new key and the old one is deleted afterwards", () => {
    it("moves every request to the new key with no failed call", async () => {
      const account = sandbox.accounts.create("k8s@example.com");
      const oldKey = account.key;
      const volume = new KubernetesSecretVolume(dir);
      await volume.write({ "api-key": `${oldKey}\n` });
      const events: OnceKeyEvent[] = [];
      const api = client(fromFile({ path: join(dir, "api-key"), onEvent: (e) => events.push(e) }));
      await expect(api.test()).resolves.toMatchObject({ account: "k8s@example.com" });

      const stop = keepCalling(() => api.test());
      const newKey = sandbox.keys.create(account.id, "rotated");
      let result: Awaited<ReturnType<typeof stop>>;
      try {
        await volume.write({ "api-key": `${newKey}\n` });
        await eventually(() => events.some((e) => e.type === "key:rotated"), { what: "the rotation" });
        sandbox.keys.delete(oldKey);
        await eventually(
          () => sandbox.requests.count({ fingerprint: keyFingerprint(newKey), status: 200 }) >= 5,
          { what: "calls with the new key" },
        );
      } finally {
        result = await stop();
      }

      expect(result.failures).toEqual([]);
      expect(result.calls).toBeGreaterThan(5);
      expect(sandbox.requests.count({ fingerprint: keyFingerprint(oldKey), status: 401 })).toBe(0);
      expect(sandbox.requests.last()?.fingerprint).toBe(keyFingerprint(newKey));
    });
  });

  describe("when the key is regenerated before anything reads the replaced file", () => {
    it("rereads the file on the 401 and replays, so the caller sees no failure", async () => {
      const account = sandbox.accounts.create("docker@example.com");
      const oldKey = account.key;
      const path = join(dir, "oncehub_api_key");
      await writeFile(path, oldKey, { mode: 0o400 });
      const past = new Date(Date.now() - 60_000);
      await utimes(path, past, past);
      // No watching: only OnceHub's 401 can make the provider read the file again.
      const api = client(fromFile({ path, watch: false }));
      await api.test();

      const newKey = sandbox.keys.regenerate(oldKey);
      await writeFile(`${path}.new`, newKey, { mode: 0o400 });
      await rename(`${path}.new`, path);
      await expect(api.test()).resolves.toMatchObject({ account: "docker@example.com" });

      expect(
        sandbox.requests
          .all()
          .slice(-2)
          .map((r) => [r.fingerprint, r.status]),
      ).toEqual([
        [keyFingerprint(oldKey), 401],
        [keyFingerprint(newKey), 200],
      ]);
    });
  });

  describe("when tenants' keys live in one directory, chosen by configuration", () => {
    it("serves each tenant its own account and follows one tenant's rotation", async () => {
      const acme = sandbox.accounts.create("acme@example.com");
      const globex = sandbox.accounts.create("globex@example.com");
      const secrets = join(dir, "tenants");
      await mkdir(secrets);
      const volume = new KubernetesSecretVolume(secrets);
      await volume.write({ acme: acme.key, globex: globex.key });
      const caFile = join(dir, "ca.pem");
      await writeFile(caFile, sandbox.ca);
      const api = OnceHubClient.fromEnvironment({
        sources: [fileSource],
        env: {
          ONCEKEY_SOURCE: "file",
          ONCEKEY_FILE_PATH: join(secrets, "{tenant}"),
          ONCEKEY_FILE_PERMISSIONS: "ignore",
          ONCEHUB_BASE_URL: sandbox.baseUrl,
          ONCEKEY_CA_FILE: caFile,
        },
        pacing: false,
      });
      clients.push(api);
      await expect(api.forTenant("acme").test()).resolves.toMatchObject({ account: "acme@example.com" });
      await expect(api.forTenant("globex").test()).resolves.toMatchObject({ account: "globex@example.com" });

      const newAcmeKey = sandbox.keys.create(acme.id, "rotated");
      await volume.write({ acme: newAcmeKey, globex: globex.key });
      await eventually(
        async () => {
          await api.forTenant("acme").test();
          return sandbox.requests.last()?.fingerprint === keyFingerprint(newAcmeKey);
        },
        { what: "acme's calls with its new key" },
      );
      sandbox.keys.delete(acme.key);
      await expect(api.forTenant("acme").test()).resolves.toMatchObject({ account: "acme@example.com" });
      await expect(api.forTenant("globex").test()).resolves.toMatchObject({ account: "globex@example.com" });
      expect(sandbox.requests.count({ status: 401 })).toBe(0);
    });
  });
});
