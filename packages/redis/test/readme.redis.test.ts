import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { OnceHubClient, type KeySource, staticKey } from "@oncekey/core";
import { startSandbox, type Sandbox } from "@oncekey/sandbox";
import { redisPacing, redisPacingSource } from "../src/index.js";
import { type RedisServer, startRedisServer } from "./support/redis-server.js";

// The README's examples, pointed at the sandbox and a Redis of the test's own.
describe("README examples", () => {
  let sandbox: Sandbox;
  let redis: RedisServer;

  beforeAll(async () => {
    [sandbox, redis] = await Promise.all([startSandbox({ rateLimit: false }), startRedisServer()]);
  });
  afterAll(async () => {
    await Promise.all([sandbox.close(), redis.stop()]);
  });

  it("a store passed in pacing.store", async () => {
    const acme = sandbox.accounts.create("acme@example.com");
    const store = redisPacing({ url: redis.url });
    const client = new OnceHubClient({
      keys: { name: "tenants", getKey: () => staticKey(acme.key).getKey() },
      baseUrl: sandbox.baseUrl,
      ca: sandbox.ca,
      pacing: { store },
    });
    await expect(client.forTenant("acme").test()).resolves.toMatchObject({ account: "acme@example.com" });
    await client.close();
    await store.close();
  });

  it("by configuration", async () => {
    const envSource: KeySource = { name: "env", fromConfig: () => staticKey(sandbox.key) };
    const dir = await mkdtemp(join(tmpdir(), "oncekey-redis-"));
    try {
      await writeFile(join(dir, "ca.pem"), sandbox.ca);
      const client = OnceHubClient.fromEnvironment({
        sources: [envSource],
        pacingSources: [redisPacingSource],
        env: {
          ONCEKEY_PACING_STORE: "redis",
          ONCEKEY_REDIS_URL: redis.url,
          ONCEHUB_BASE_URL: sandbox.baseUrl,
          ONCEKEY_CA_FILE: join(dir, "ca.pem"),
        },
      });
      await expect(client.test()).resolves.toMatchObject({ account: "admin@example.com" });
      await client.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
