import { AsyncLocalStorage } from "node:async_hooks";
import diagnostics from "node:diagnostics_channel";
import { afterEach, describe, expect, it } from "@jest/globals";
import { rejectionOf, sandboxClientOptions, useSandbox, withClient } from "@oncekey/test-support";
import { eventChannelName, type OnceKeyEvent } from "../src/index.js";
import { CALL_CHANNEL, type CallTrace } from "../src/source.js";

const sandbox = useSandbox();
const channel = diagnostics.tracingChannel<unknown, CallTrace>(CALL_CHANNEL);

interface Seen {
  readonly starts: CallTrace[];
  readonly ends: CallTrace[];
  readonly errors: CallTrace[];
  /** Each `request` and `retry` event, with the call it was published in. */
  readonly inCall: { event: OnceKeyEvent; call: CallTrace | undefined }[];
}

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
  for (const type of ["request", "retry"] as const) diagnostics.subscribe(eventChannelName(type), onEvent);
  stop = () => {
    channel.unsubscribe(handlers);
    channel.start.unbindStore(current);
    for (const type of ["request", "retry"] as const)
      diagnostics.unsubscribe(eventChannelName(type), onEvent);
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

  it("costs nothing and publishes nothing without a subscriber", async () => {
    expect(channel.hasSubscribers).toBe(false);
    await withClient(sandboxClientOptions(sandbox()), (client) => client.test());
  });
});
