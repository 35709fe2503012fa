import { AsyncLocalStorage } from "node:async_hooks";
import diagnostics from "node:diagnostics_channel";
import { afterEach, describe, expect, it } from "@jest/globals";
import { rejectionOf, sandboxClientOptions, useSandbox, withClient } from "@oncekey/test-support";
import { cached, eventChannelName, type OnceKeyEvent, staticKey } from "../src/index.js";
import { CALL_CHANNEL, type CallTrace } from "../src/source.js";

const sandbox = useSandbox();
const channel = diagnostics.tracingChannel<unknown, CallTrace>(CALL_CHANNEL);

interface Seen {
  readonly starts: CallTrace[];
  readonly ends: CallTrace[];
  readonly errors: CallTrace[];
  /** Each `request`, `retry` and `key:loaded` event, with the call it was published in. */
  readonly inCall: { event: OnceKeyEvent; call: CallTrace | undefined }[];
}

/** The events a call publishes that the tests follow. */
const TYPES = ["request", "retry", "key:loaded"] as const;

let stop: (() => void) | undefined;
afterEach(() => stop?.());

function observe(): Seen {
  const seen: Seen = { starts: [], ends: [], errors: [], inCall: [] };
  const current = new AsyncLocalStorage<CallTrace>();
  channel.start.bindStore(current, (call) => call);
  const handlers = {
    start: (call: CallTrace) => void seen.starts.push(call),
    end: () => undefined,
    asyncStart: () => undefined,
    asyncEnd: (call: CallTrace) => void seen.ends.push(call),
    error: (call: CallTrace) => void seen.errors.push(call),
  };
  channel.subscribe(handlers);
  const onEvent = (event: unknown): void =>
    void seen.inCall.push({ event: event as OnceKeyEvent, call: current.getStore() });
  for (const type of TYPES) diagnostics.subscribe(eventChannelName(type), onEvent);
  stop = () => {
    channel.unsubscribe(handlers);
    channel.start.unbindStore(current);
    for (const type of TYPES) diagnostics.unsubscribe(eventChannelName(type), onEvent);
    stop = undefined;
  };
  return seen;
}

describe("the oncekey:call tracing channel", () => {
  it("wraps each call: start before it, asyncEnd with its answer, and its events inside it", async () => {
    const seen = observe();
    await withClient(sandboxClientOptions(sandbox()), (client) =>
      Promise.all([
        client.test(),
        client
          .forTenant("acme")
          .request("GET", "/test?x=1")
          .catch(() => undefined),
      ]),
    );
    expect(seen.starts).toEqual([
      expect.objectContaining({ method: "GET", path: "/v2/test", origin: sandbox().url }),
      expect.objectContaining({ method: "GET", path: "/v2/test", tenant: "acme" }),
    ]);
    // asyncEnd comes for every call; a failed one has its error, and came first here (no key for "acme").
    expect(seen.ends).toHaveLength(2);
    expect(seen.ends.find((call) => call.tenant === undefined)?.result).toMatchObject({
      message: expect.stringContaining("valid"),
    });
    expect(seen.errors).toEqual([
      expect.objectContaining({ tenant: "acme", error: expect.objectContaining({ code: "KEY_NOT_FOUND" }) }),
    ]);
    for (const { call } of seen.inCall) expect(call).toBeDefined();
  });

  it("reports a failed call once, with every exchange and retry inside it", async () => {
    const seen = observe();
    sandbox().faults.inject({ kind: "status", status: 503, times: 2 });
    const error = await withClient(
      sandboxClientOptions(sandbox(), { retry: { maxAttempts: 2, baseDelayMs: 1 } }),
      (client) => rejectionOf(client.test()),
    );
    expect(error).toMatchObject({ code: "API_ERROR" });
    expect(seen.starts).toHaveLength(1);
    expect(seen.errors).toEqual([expect.objectContaining({ error })]);
    const types = seen.inCall.map(({ event }) => event.type);
    expect(types).toEqual(["request", "retry", "request"]);
    for (const { call } of seen.inCall) expect(call).toBe(seen.starts[0]);
  });

  it("numbers each call, and every event of a call carries its number", async () => {
    const seen = observe();
    sandbox().faults.inject({ kind: "status", status: 503, times: 3 });
    const heard: OnceKeyEvent[] = [];
    await withClient(
      sandboxClientOptions(sandbox(), {
        // Read once, by the first call: the second waits for the same read.
        keys: cached(staticKey(sandbox().key)),
        retry: { maxAttempts: 4, baseDelayMs: 1 },
        onEvent: (event) => void heard.push(event),
      }),
      (client) =>
        Promise.all([
          client.test(),
          client
            .forTenant("acme")
            .test()
            .catch(() => undefined),
          client.test(),
        ]),
    );
    const ids = seen.starts.map((call) => call.id);
    expect(new Set(ids).size).toBe(3);
    expect(ids.every((id) => Number.isSafeInteger(id) && id > 0)).toBe(true);
    // Each event names the call whose async context it was published in.
    expect(seen.inCall.map(({ event }) => event.type)).toEqual(
      expect.arrayContaining(["key:loaded", "retry"]),
    );
    for (const { event, call } of seen.inCall) expect(event).toMatchObject({ callId: call?.id });
    // The client's onEvent receives the same numbers.
    expect(
      heard
        .filter((event) => event.type === "request")
        .map((event) => event.callId)
        .sort(),
    ).toEqual(
      seen.inCall
        .filter(({ event }) => event.type === "request")
        .map(({ call }) => call?.id)
        .sort(),
    );
  });

  it("costs nothing and publishes nothing without a subscriber", async () => {
    expect(channel.hasSubscribers).toBe(false);
    await withClient(sandboxClientOptions(sandbox()), (client) => client.test());
  });
});
