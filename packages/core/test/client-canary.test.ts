import diagnostics from "node:diagnostics_channel";
import { createServer } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { printedForms, startSandbox } from "@oncekey/sandbox";
import { eventChannelName, type OnceKeyEvent } from "../src/index.js";
import { mutableKeys } from "./transport/mutable-keys.js";
import { sandboxTransportOptions, settled, useSandbox, withClient } from "@oncekey/test-support";

/** Two keys OnceHub does not know: every call is rejected, or fails on the way, carrying one of them. */
const CANARY = "canary-Zq8Lw3Nx7Rt2Vb5Km9Pd4Hs";
const NEXT_CANARY = "canary-Jf6Yc1Ug8Ea3Wo5Ti2Sn7Bl";

const TYPES: OnceKeyEvent["type"][] = [
  "key:loaded",
  "key:rotated",
  "key:invalidated",
  "key:rejected",
  "key:stale",
  "request",
  "retry",
  "paced",
];

const sandbox = useSandbox();
const seen: unknown[] = [];
const onChannel = (message: unknown): void => void seen.push(message);

beforeAll(() => TYPES.forEach((type) => diagnostics.subscribe(eventChannelName(type), onChannel)));
afterAll(() => TYPES.forEach((type) => diagnostics.unsubscribe(eventChannelName(type), onChannel)));

describe("canary key through the client", () => {
  it("never appears in an error, event, usage or inspect on any path of the transport", async () => {
    const keys = mutableKeys(CANARY);
    keys.set(CANARY, "acme");
    const other = await startSandbox({ rateLimit: false });
    const refused = createServer();
    await new Promise<void>((resolve) => refused.listen(0, "127.0.0.1", resolve));
    const refusedPort = (refused.address() as { port: number }).port;
    await new Promise((resolve) => refused.close(resolve));
    const options = {
      ...sandboxTransportOptions(sandbox()),
      keys: keys.provider,
      onEvent: (event: OnceKeyEvent) => void seen.push(event),
    };
    try {
      await withClient(options, async (client) => {
        const faults = sandbox().faults;
        seen.push(await settled(client.test()));
        seen.push(await settled(client.forTenant("acme").bookings.get("BKNG-1")));
        faults.inject({ kind: "status", status: 503, times: 3 });
        seen.push(await settled(client.test()));
        faults.inject({ kind: "status", status: 429, retryAfter: 0, times: 3 });
        seen.push(
          await settled(client.webhooks.create({ name: "n", url: "https://h.example/x", events: [] })),
        );
        faults.inject({
          kind: "status",
          status: 400,
          body: { type: "invalid_request_error", message: `Bad key ${CANARY}`, param: CANARY },
        });
        seen.push(await settled(client.test()));
        faults.inject({ kind: "reset", times: 3 });
        seen.push(await settled(client.test()));
        faults.inject({ kind: "redirect" });
        seen.push(await settled(client.test()));
        faults.inject({ kind: "redirect", location: `${other.baseUrl}/test` });
        seen.push(await settled(client.test()));
        faults.inject({ kind: "redirect", status: 308, location: `${sandbox().baseUrl}/test` });
        seen.push(await settled(client.test()));
        seen.push(await settled(client.test({ signal: AbortSignal.abort(new Error("stop")) })));
        // A rotation: the rejected key is replaced by another one, which is rejected too.
        keys.set(NEXT_CANARY);
        seen.push(await settled(client.test()));
        seen.push(client.usage(), client, client.forTenant("acme"));
      });
      await withClient(
        { ...options, retry: false, timeouts: { headersMs: 100, bodyMs: 100 } },
        async (client) => {
          sandbox().faults.inject({ kind: "delay", ms: 10_000 });
          seen.push(await settled(client.test()));
          sandbox().faults.inject({ kind: "slow-body", ms: 100_000 });
          seen.push(await settled(client.test()));
        },
      );
      await withClient({ ...options, pacing: { requestsPerSecond: 10, burst: 1 } }, async (paced) => {
        seen.push(...(await Promise.all([paced.test(), paced.test()].map(settled))));
        await paced.close();
        seen.push(await settled(paced.test()));
      });
      await withClient({ ...options, baseUrl: `https://127.0.0.1:${refusedPort}/v2` }, async (client) => {
        seen.push(await settled(client.test()));
      });
      await withClient({ ...options, ca: undefined as unknown as string }, async (client) => {
        seen.push(await settled(client.test()));
      });
    } finally {
      await other.close();
    }

    const types = new Set(seen.map((item) => (item as { type?: unknown }).type));
    expect([...types]).toEqual(expect.arrayContaining(TYPES.filter((type) => type !== "key:stale")));
    const codes = new Set(seen.map((item) => (item as { code?: unknown }).code));
    expect([...codes]).toEqual(
      expect.arrayContaining([
        "AUTHENTICATION",
        "API_ERROR",
        "RATE_LIMIT",
        "INVALID_REQUEST",
        "NETWORK",
        "TIMEOUT",
        "INSECURE_TRANSPORT",
      ]),
    );
    expect(other.requests.size).toBe(0);
    for (const item of seen) {
      const text = printedForms(item);
      expect(text).not.toContain(CANARY);
      expect(text).not.toContain(NEXT_CANARY);
    }
  });
});
