import { once } from "node:events";
import { createServer, type Server, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { type KeySource, loadConfig, OnceHubClient, type PacingStore, staticKey } from "@oncekey/core";
import { windowLimit } from "@oncekey/core/source";
import { CANARY_KEYS } from "@oncekey/sandbox";
import {
  eventLog,
  eventually,
  freePort,
  showsKey,
  thrownBy,
  trackUnhandledRejections,
} from "@oncekey/test-support";
import { redisPacing, redisPacingSource } from "../src/index.js";
import { startScriptedRespServer } from "./support/scripted-resp-server.js";

const budgets = [{ name: "egress", limit: windowLimit(10, 60_000) }];
const stores: PacingStore[] = [];
afterAll(async () => {
  await Promise.all(stores.map((store) => store.close?.()));
});

function store(options: Parameters<typeof redisPacing>[0]): PacingStore {
  const made = redisPacing(options);
  stores.push(made);
  return made;
}

describe(redisPacing.name, () => {
  describe("when an option is wrong", () => {
    it.each([
      [{}, "url"],
      [{ url: "redis://a", client: {} }, "url"],
      [{ url: "http://127.0.0.1:6379" }, "url"],
      [{ url: "not a url" }, "url"],
      [{ url: "redis://redis:6379/cache" }, "url"],
      [{ url: "redis://:p%ZZss@redis:6379" }, "url"],
      [{ url: "redis://user%E0:pass@redis:6379" }, "url"],
      [{ url: "redis://a", timeoutMs: 0 }, "timeoutMs"],
      [{ url: "redis://a", heartbeatMs: "2000" }, "heartbeatMs"],
      [{ url: "redis://a", fallbackInstances: 1.5 }, "fallbackInstances"],
      [{ url: "redis://a", prefix: "" }, "prefix"],
      [{ url: "redis://a", timeoutMS: 100 }, "timeoutMS"],
      [{ client: { get: () => undefined } }, "client"],
    ])("throws a ConfigError naming it (%j)", (options, variable) => {
      expect(thrownBy(() => redisPacing(options as never))).toMatchObject({ code: "CONFIG", variable });
    });

    it("never repeats a URL, which may hold a password or a key pasted in the wrong place", () => {
      for (const key of Object.values(CANARY_KEYS)) {
        for (const url of [
          key,
          `http://:${key}@host:6379`,
          `redis://:${key}@`,
          `redis://:${key}%ZZ@host:6379`,
        ]) {
          const error = thrownBy(() => redisPacing({ url }));
          expect(error).toMatchObject({ code: "CONFIG", variable: "url" });
          expect(showsKey(key, error)).toBe(false);
        }
      }
    });
  });

  describe("when Redis cannot be reached", () => {
    it("answers from its local share at once and reports the fallback, naming no password", async () => {
      const log = eventLog();
      const port = await freePort();
      const password = CANARY_KEYS.dashed;
      const refused = store({
        url: `redis://:${password}@127.0.0.1:${port}`,
        timeoutMs: 50,
        onEvent: log.onEvent,
      });
      expect(await refused.take(budgets)).toMatchObject({ granted: true });
      expect(log.ofType("pacing:fallback")).toEqual([
        expect.objectContaining({ store: "redis", reason: "ECONNREFUSED", instances: 1 }),
      ]);
      expect(showsKey(password, log.events)).toBe(false);
    });
  });

  describe("when the server at the URL does not speak Redis", () => {
    let garbage: Server;
    const sockets = new Set<Socket>();
    beforeAll(async () => {
      garbage = createServer((socket) => {
        sockets.add(socket);
        socket.on("error", () => undefined);
        // Whatever it is sent, it answers nonsense that echoes part of what came in.
        socket.on("data", (data) =>
          socket.write(`%%nonsense ${data.toString("hex").slice(0, 40)}\r\n$x\r\n`),
        );
      });
      garbage.listen(0, "127.0.0.1");
      await once(garbage, "listening");
    });
    afterAll(() => {
      for (const socket of sockets) socket.destroy();
      garbage.close();
    });

    it("never hangs a take, falls back, and reports it without echoing what it was sent", async () => {
      const log = eventLog();
      const { port } = garbage.address() as { port: number };
      const password = CANARY_KEYS.hex;
      const confused = store({
        url: `redis://:${password}@127.0.0.1:${port}`,
        timeoutMs: 50,
        onEvent: log.onEvent,
      });
      const started = Date.now();
      expect(await confused.take(budgets)).toMatchObject({ granted: true });
      // Bounded by the start-up wait, never by the server.
      expect(Date.now() - started).toBeLessThan(10_000);
      const [fallback] = await eventually(() => {
        const seen = log.ofType("pacing:fallback");
        return seen.length > 0 && seen;
      });
      expect(fallback).toMatchObject({ reason: expect.stringMatching(/^(PROTOCOL|TIMEOUT|OFFLINE)$/) });
      expect(showsKey(password, log.events)).toBe(false);
    });
  });
});

describe("when a server that is not Redis answers a take with a budget the take does not have", () => {
  it("falls back to the local share instead of leaving the take unanswered", async () => {
    const server = await startScriptedRespServer((command) => {
      if (command[0]?.toUpperCase() !== "EVALSHA") return undefined;
      // The heartbeat: one instance. A take: refused by its seventh budget (it has one).
      if (command.some((part) => part.endsWith("instances"))) return "*1\r\n:1\r\n";
      return "*4\r\n:0\r\n$1\r\n5\r\n:7\r\n$5\r\n123.5\r\n";
    });
    const log = eventLog();
    const unhandled = trackUnhandledRejections();
    try {
      const lying = store({ url: server.url, timeoutMs: 1_000, onEvent: log.onEvent });
      expect(await lying.take(budgets)).toMatchObject({ granted: true });
      expect(log.ofType("pacing:fallback")).toEqual([expect.objectContaining({ reason: "PROTOCOL" })]);
      expect(await unhandled.stop()).toEqual([]);
    } finally {
      await server.close();
    }
  });
});

describe("redisPacingSource", () => {
  const env: KeySource = { name: "env", fromConfig: () => staticKey(CANARY_KEYS.base64url) };

  it("needs ONCEKEY_REDIS_URL when ONCEKEY_PACING_STORE is redis", () => {
    const variables = { ONCEKEY_PACING_STORE: "redis" };
    expect(
      thrownBy(() =>
        OnceHubClient.fromEnvironment({ sources: [env], env: variables, pacingSources: [redisPacingSource] }),
      ),
    ).toMatchObject({ code: "CONFIG", variable: "ONCEKEY_REDIS_URL" });
  });

  it("refuses a URL that is not Redis's without repeating it", () => {
    for (const key of Object.values(CANARY_KEYS)) {
      const config = loadConfig(
        { ONCEKEY_PACING_STORE: "redis", ONCEKEY_REDIS_URL: key },
        {
          pacingSources: [redisPacingSource],
        },
      );
      const error = thrownBy(() => redisPacingSource.fromConfig(config));
      expect(error).toMatchObject({ code: "CONFIG", variable: "ONCEKEY_REDIS_URL" });
      expect(showsKey(key, error)).toBe(false);
    }
  });

  it("is not chosen unless registered", () => {
    expect(
      thrownBy(() =>
        OnceHubClient.fromEnvironment({
          sources: [env],
          env: { ONCEKEY_PACING_STORE: "redis", ONCEKEY_REDIS_URL: "redis://r" },
        }),
      ),
    ).toMatchObject({
      code: "CONFIG",
      variable: "ONCEKEY_PACING_STORE",
      message: expect.stringContaining("@oncekey/redis"),
    });
  });
});
