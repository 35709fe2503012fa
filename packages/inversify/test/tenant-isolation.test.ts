import "reflect-metadata";
import diagnostics from "node:diagnostics_channel";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { eventChannelName, type OnceHubClient } from "@oncekey/core";
import { type KeyLoadedEvent } from "@oncekey/core/source";
import { envSource } from "@oncekey/env";
import { fileSource } from "@oncekey/file";
import { keyFingerprint } from "@oncekey/sandbox";
import { runLimited } from "@oncekey/test-support";
import { Container } from "inversify";
import { ONCEKEY, OnceKeyModule } from "../src/index.js";
import { loadAsync, unloadAsync } from "./inversify-major.js";
import { useSandboxEnv } from "./sandbox-env.js";

const TENANTS = 1_000;
const REQUESTS_PER_TENANT = 20;
const IN_FLIGHT = 64;

interface Tenant {
  readonly id: string;
  readonly accountId: string;
  readonly email: string;
  readonly fingerprint: string;
}

/** A small deterministic generator, so a failing order can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

function shuffled<T>(items: readonly T[], next: () => number): T[] {
  const result = [...items];
  for (let i = result.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [result[i], result[j]] = [result[j] as T, result[i] as T];
  }
  return result;
}

const fixture = useSandboxEnv({ bookings: 0 });
let tenants: Tenant[];
const container = new Container();
let oncekey: OnceKeyModule;

beforeAll(async () => {
  const keysDir = join(fixture.dir, "keys");
  await mkdir(keysDir);
  tenants = [];
  for (let i = 0; i < TENANTS; i++) {
    const id = `tenant-${String(i).padStart(4, "0")}`;
    const account = fixture.sandbox.accounts.create(`${id}@example.com`);
    await writeFile(join(keysDir, id), `${account.key}\n`, { mode: 0o600 });
    tenants.push({
      id,
      accountId: account.id,
      email: account.email,
      fingerprint: keyFingerprint(account.key),
    });
  }
  oncekey = OnceKeyModule.fromEnvironment({
    sources: [envSource, fileSource],
    env: { ...fixture.env, ONCEKEY_SOURCE: "file", ONCEKEY_FILE_PATH: join(keysDir, "{tenant}") },
    // The sandbox enforces no rate limit here, so the client need not pace; few connections keep start-up cheap.
    client: { pacing: false, connections: 16 },
  });
  await loadAsync(container, oncekey);
});

afterAll(async () => {
  await unloadAsync(container, oncekey);
});

describe("tenant isolation through the container's client", () => {
  describe(`when ${TENANTS} tenants send ${REQUESTS_PER_TENANT} interleaved requests each`, () => {
    // 20,000 HTTPS requests: a bound for a loaded machine, not a measurement.
    it("sends every request with its own tenant's key", async () => {
      const client = container.get<OnceHubClient>(ONCEKEY.Client);
      const clients = new Map(tenants.map((tenant) => [tenant.id, client.forTenant(tenant.id)]));
      const next = random(7);
      const order = Array.from({ length: REQUESTS_PER_TENANT }, () => shuffled(tenants, next)).flat();
      const loads: KeyLoadedEvent[] = [];
      const onLoad = (event: unknown): void => void loads.push(event as KeyLoadedEvent);
      diagnostics.subscribe(eventChannelName("key:loaded"), onLoad);
      fixture.sandbox.requests.clear();

      const answers = await runLimited(
        order.map((tenant) => async () => {
          const answer = await (clients.get(tenant.id) as OnceHubClient).request<{ message: string }>(
            "GET",
            "/test",
            {
              query: { tenant: tenant.id },
            },
          );
          return { tenant, message: answer.message };
        }),
        IN_FLIGHT,
      ).finally(() => diagnostics.unsubscribe(eventChannelName("key:loaded"), onLoad));

      const byId = new Map(tenants.map((tenant) => [tenant.id, tenant]));
      const log = fixture.sandbox.requests.all().filter((entry) => entry.path === "/v2/test");
      const mismatches = log.filter((entry) => {
        const tenant = byId.get(entry.query.tenant ?? "");
        return (
          tenant === undefined ||
          entry.fingerprint !== tenant.fingerprint ||
          entry.accountId !== tenant.accountId
        );
      });
      const perTenant = new Map<string, number>();
      for (const entry of log)
        perTenant.set(entry.query.tenant ?? "", (perTenant.get(entry.query.tenant ?? "") ?? 0) + 1);

      expect(log).toHaveLength(TENANTS * REQUESTS_PER_TENANT);
      expect(mismatches).toHaveLength(0);
      expect(new Set(perTenant.values())).toEqual(new Set([REQUESTS_PER_TENANT]));
      expect(log.every((entry) => entry.status === 200)).toBe(true);
      expect(answers.filter(({ tenant, message }) => !message.endsWith(`: ${tenant.email}`))).toHaveLength(0);
      // One read per tenant: the per-tenant cache and single-flight hold under interleaving.
      expect(loads).toHaveLength(TENANTS);
      expect(new Set(loads.map((event) => event.tenant)).size).toBe(TENANTS);
    }, 120_000);
  });
});
