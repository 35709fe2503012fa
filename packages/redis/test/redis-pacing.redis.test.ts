import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import type { PacingStore } from "@oncekey/core";
import { type Budget, type PacingAnswer, type PacingGrant, windowLimit } from "@oncekey/core/source";
import { CANARY_KEYS } from "@oncekey/sandbox";
import { eventLog, eventually, showsKey } from "@oncekey/test-support";
import { createClient } from "@redis/client";
import { type RedisPacingClient, redisPacing } from "../src/index.js";
import { type RedisServer, startRedisServer } from "./support/redis-server.js";

let redis: RedisServer;
let prefixes = 0;
const stores: PacingStore[] = [];

beforeAll(async () => {
  redis = await startRedisServer();
});

afterAll(async () => {
  await Promise.all(stores.map((store) => store.close?.()));
  await redis.stop();
});

/** A store on the test's Redis, with a prefix of its own per test (the budgets of two stores of one test are shared). */
function storesSharing(count: number, extra: Parameters<typeof redisPacing>[0] = {}): PacingStore[] {
  const prefix = `test${prefixes++}:{pacing}:`;
  return Array.from({ length: count }, () => {
    // A time limit a loaded machine keeps: these tests are about the shared budgets, not a slow Redis.
    const store = redisPacing({ url: redis.url, prefix, heartbeatMs: 100, timeoutMs: 2_000, ...extra });
    stores.push(store);
    return store;
  });
}

const egress = (requests: number, windowMs: number): Budget => ({
  name: "egress",
  limit: windowLimit(requests, windowMs),
});
const account = (name: string, perSecond: number, burst: number): Budget => ({
  name,
  limit: { kind: "rate", perSecond, burst },
});

async function answers(store: PacingStore, budgets: Budget[], times: number): Promise<PacingAnswer[]> {
  const all: PacingAnswer[] = [];
  for (let i = 0; i < times; i++) all.push(await store.take(budgets));
  return all;
}

describe(redisPacing.name, () => {
  describe("when two processes take from one window budget", () => {
    it("never lets the window hold more than its limit, whichever took", async () => {
      const [a, b] = storesSharing(2) as [PacingStore, PacingStore];
      const budgets = [egress(5, 10_000)];
      const first = await answers(a, budgets, 3);
      const second = await answers(b, budgets, 3);
      expect([...first, ...second].map((answer) => answer.granted)).toEqual([
        true,
        true,
        true,
        true,
        true,
        false,
      ]);
      expect(second[2]).toMatchObject({ granted: false, budget: "egress", retryInMs: expect.any(Number) });
      expect((second[2] as { retryInMs: number }).retryInMs).toBeGreaterThan(9_000);
    });
  });

  describe("when an account's rate budget is shared", () => {
    it("lets its burst go, then refuses until the next request is due", async () => {
      const [a, b] = storesSharing(2) as [PacingStore, PacingStore];
      const budgets = [account("account:acme", 10, 2)];
      const granted = [await a.take(budgets), await b.take(budgets), await a.take(budgets)];
      expect(granted.map((answer) => answer.granted)).toEqual([true, true, false]);
      expect(granted[1]).toMatchObject({ slackMs: expect.any(Number) });
      expect((granted[2] as { retryInMs: number }).retryInMs).toBeLessThanOrEqual(100);
    });

    it("takes from every budget of a request or from none", async () => {
      const [store] = storesSharing(1) as [PacingStore];
      const shared = egress(2, 60_000);
      await store.take([shared, account("account:a", 1, 1)]);
      // The account refuses: the egress must not lose a slot for it.
      expect(await store.take([shared, account("account:a", 1, 1)])).toMatchObject({
        granted: false,
        budget: "account:a",
      });
      expect(await store.take([shared, account("account:b", 1, 1)])).toMatchObject({ granted: true });
      expect(await store.take([shared, account("account:c", 1, 1)])).toMatchObject({
        granted: false,
        budget: "egress",
      });
    });
  });

  describe("when a burst of requests reaches the wire late, together", () => {
    it("moves the account's schedule by their lateness once, not once per request", async () => {
      /**
       * After a burst of five at 10 a second, of which the first `late` reached the wire 300 ms late: how long until
       * the next five may go (the takes granted now, 100 ms each, and the wait the first refusal names).
       */
      const nextFiveAfterLateBurst = async (late: number): Promise<number> => {
        const [store] = storesSharing(1) as [PacingStore];
        const budgets = [account("account:late", 10, 5)];
        const grants = await answers(store, budgets, 5);
        await sleep(300);
        for (const grant of grants.slice(0, late)) store.started?.(grant as PacingGrant);
        // The corrections go together a few ms later.
        await sleep(100);
        for (let taken = 0; taken < 5; taken++) {
          const next = await store.take(budgets);
          if (!next.granted) return (5 - taken) * 100 + next.retryInMs;
        }
        return 0;
      };
      const one = await nextFiveAfterLateBurst(1);
      const five = await nextFiveAfterLateBurst(5);
      // The last request alone moved the schedule: the next five wait for it.
      expect(one).toBeGreaterThan(200);
      // Four more, as late, move it no further (once per request, it would be some 300 ms more).
      expect(five - one).toBeLessThan(150);
    });
  });

  describe("when Redis stops and comes back", () => {
    it("paces with its local share meanwhile, reports both changes, and writes back what it sent", async () => {
      const log = eventLog();
      const [store] = storesSharing(1, { onEvent: log.onEvent, fallbackInstances: 2, timeoutMs: 1_000 }) as [
        PacingStore,
      ];
      const budgets = [egress(10, 60_000)];
      expect(await store.take(budgets)).toMatchObject({ granted: true });
      // Only what follows the stop: a loaded machine may have stalled a take past its time limit before.
      log.events.length = 0;
      await redis.stop();
      try {
        // Its share is 10 / 2 = 5, its own request before the failure included.
        const local = await answers(store, budgets, 5);
        expect(local.map((answer) => answer.granted)).toEqual([true, true, true, true, false]);
        expect(log.ofType("pacing:fallback")).toEqual([
          expect.objectContaining({ store: "redis", instances: 2, reason: expect.any(String) }),
        ]);
      } finally {
        await redis.start();
      }
      await eventually(() => log.ofType("pacing:recovered").length === 1, { what: "pacing:recovered" });
      // Redis restarted empty: the five requests of the last window are written back.
      const check = createClient({ url: redis.url });
      await check.connect();
      try {
        // This test's prefix: the last one made.
        const prefix = `test${prefixes - 1}:{pacing}:`;
        expect(await check.zCard(`${prefix}egress`)).toBe(5);
      } finally {
        check.destroy();
      }
      expect(await answers(store, budgets, 6)).toEqual([
        ...Array.from({ length: 5 }, () => expect.objectContaining({ granted: true })),
        expect.objectContaining({ granted: false }),
      ]);
    });
  });

  describe("when the process sent more on its share than one command can carry back", () => {
    it("writes every request back", async () => {
      const log = eventLog();
      const [store] = storesSharing(1, { onEvent: log.onEvent, fallbackInstances: 1, timeoutMs: 1_000 }) as [
        PacingStore,
      ];
      const budgets = [egress(400_000, 600_000)];
      let granted = 0;
      const takeOne = async (): Promise<void> => {
        if ((await store.take(budgets)).granted) granted++;
      };
      await takeOne();
      await redis.stop();
      try {
        while (log.ofType("pacing:fallback").length === 0) await takeOne();
        // Past what one call can spread into its arguments (about 120,000 on Node 20's default stack).
        for (let i = 0; i < 200_000; i++) await takeOne();
      } finally {
        await redis.start();
      }
      await eventually(() => log.ofType("pacing:recovered").length === 1, {
        what: "pacing:recovered",
        deadlineMs: 30_000,
      });
      const check = createClient({ url: redis.url });
      await check.connect();
      try {
        expect(await check.zCard(`test${prefixes - 1}:{pacing}:egress`)).toBe(granted);
      } finally {
        check.destroy();
      }
    }, 60_000);
  });

  describe("when the process takes on its share while its write-back is on its way", () => {
    it("writes that request back too", async () => {
      const log = eventLog();
      const budgets = [egress(100, 60_000)];
      let granted = 0;
      let store: PacingStore | undefined;
      let during: PacingAnswer | undefined;
      // The app's own client, which shows the moment the write-back leaves: a take then is on the local share.
      const client = createClient({ url: redis.url, socket: { reconnectStrategy: () => 50 } });
      client.on("error", () => undefined);
      await client.connect();
      const watched = (view: RedisPacingClient): RedisPacingClient => {
        const sent = (options: { arguments: string[] }): void => {
          if (during !== undefined || store === undefined) return;
          if (!options.arguments.some((arg) => arg.includes("|a|"))) return;
          during = store.take(budgets) as PacingAnswer;
          if (during.granted) granted++;
        };
        return {
          evalSha: (sha, options) => (sent(options), view.evalSha(sha, options)),
          eval: (script, options) => (sent(options), view.eval(script, options)),
          withCommandOptions: (options) => watched(view.withCommandOptions(options)),
        };
      };
      try {
        store = redisPacing({
          client: watched(client as unknown as RedisPacingClient),
          prefix: `test${prefixes++}:{pacing}:`,
          heartbeatMs: 100,
          timeoutMs: 1_000,
          onEvent: log.onEvent,
        });
        stores.push(store);
        const takeOne = async (): Promise<void> => {
          if ((await (store as PacingStore).take(budgets)).granted) granted++;
        };
        await takeOne();
        await redis.stop();
        try {
          while (log.ofType("pacing:fallback").length === 0) await takeOne();
          await takeOne();
        } finally {
          await redis.start();
        }
        await eventually(() => log.ofType("pacing:recovered").length === 1, { what: "pacing:recovered" });
        expect(during).toMatchObject({ granted: true });
        // Redis restarted empty: every request granted is in it again.
        expect(await client.zCard(`test${prefixes - 1}:{pacing}:egress`)).toBe(granted);
      } finally {
        client.destroy();
      }
    });
  });

  describe("when several instances announce themselves", () => {
    it("counts them, so each knows its share should Redis fail", async () => {
      const group = storesSharing(3);
      await eventually(
        () => group.every((store) => (store as unknown as { instances: number }).instances === 3),
        {
          what: "three instances seen",
        },
      );
    });
  });

  describe("when Redis needs a password", () => {
    let locked: RedisServer;
    const password = CANARY_KEYS.base64url;
    beforeAll(async () => {
      locked = await startRedisServer(password);
    });
    afterAll(async () => {
      await locked.stop();
    });

    it.each([
      ["none is given", "", /^NOAUTH$/],
      // Depending on which reply comes first: the AUTH refused, or a command refused without it.
      ["a wrong one is given", `:${encodeURIComponent(CANARY_KEYS.dashed)}@`, /^(WRONGPASS|NOAUTH)$/],
    ])("falls back when %s, saying so without naming a password", async (_, auth, reason) => {
      const log = eventLog();
      const store = redisPacing({ url: `redis://${auth}127.0.0.1:${locked.port}`, onEvent: log.onEvent });
      stores.push(store);
      expect(await store.take([egress(5, 1_000)])).toMatchObject({ granted: true });
      expect(log.ofType("pacing:fallback")).toEqual([
        expect.objectContaining({ reason: expect.stringMatching(reason) }),
      ]);
      expect(showsKey(password, log.events)).toBe(false);
      expect(showsKey(CANARY_KEYS.dashed, log.events)).toBe(false);
    });

    it("takes from the shared budgets with the right one", async () => {
      const log = eventLog();
      // A time limit a loaded machine keeps: this test is about the password, not a slow Redis.
      const store = redisPacing({ url: locked.url, onEvent: log.onEvent, timeoutMs: 2_000 });
      stores.push(store);
      expect(await answers(store, [egress(1, 60_000)], 2)).toEqual([
        expect.objectContaining({ granted: true }),
        expect.objectContaining({ granted: false, budget: "egress" }),
      ]);
      expect(log.events).toEqual([]);
    });
  });
});
