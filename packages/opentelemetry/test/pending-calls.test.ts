import { describe, expect, it } from "@jest/globals";
import type { RequestEvent } from "@oncekey/core/source";
import { ROOT_CONTEXT, createContextKey } from "@opentelemetry/api";
import type { Call } from "../src/traces/call.js";
import { PendingCalls } from "../src/traces/pending-calls.js";

const request = (attempt: number): RequestEvent => ({
  type: "request",
  time: 0,
  origin: "https://api.oncehub.com",
  method: "GET",
  path: "/v2/test",
  status: 503,
  attempt,
  durationMs: 1,
});

function call(deadline: number, attempt = 1, parent = ROOT_CONTEXT): Call {
  const event = request(attempt);
  return {
    parent,
    identity: " GET /v2/test",
    first: event,
    startTime: 0,
    last: event,
    endTime: 1,
    events: [],
    followedUp: true,
    awaitingKey: false,
    deadline,
  };
}

describe(PendingCalls.name, () => {
  it("hands a waiting call to its next exchange, preferring the same context", () => {
    const finished: Call[] = [];
    const pending = new PendingCalls((c) => finished.push(c));
    const other = ROOT_CONTEXT.setValue(createContextKey("request"), 2);
    const a = call(10);
    const b = call(10, 1, other);
    const c = call(10, 2);
    pending.add(a);
    pending.add(b);
    pending.add(c);
    expect(pending.take(" GET /v2/test", 2, other)).toBe(b);
    expect(pending.take(" GET /v2/test", 2, other)).toBe(a);
    expect(pending.take(" GET /v2/test", 2, other)).toBeUndefined();
    expect(pending.take(" GET /v2/other", 3, ROOT_CONTEXT)).toBeUndefined();
    expect(pending.take(" GET /v2/test", 3, ROOT_CONTEXT)).toBe(c);
    expect(pending.size).toBe(0);
    expect(finished).toEqual([]);
  });

  it("writes the calls whose deadline passed, and keeps the others", () => {
    const finished: Call[] = [];
    const pending = new PendingCalls((c) => finished.push(c));
    const early = call(100);
    const late = call(200);
    pending.add(early);
    pending.add(late);
    pending.sweep(150);
    expect(finished).toEqual([early]);
    expect(pending.size).toBe(1);
    pending.flush();
    expect(finished).toEqual([early, late]);
    expect(pending.size).toBe(0);
  });

  it("writes the oldest call as it stands past 10,000 waiting", () => {
    const finished: Call[] = [];
    const pending = new PendingCalls((c) => finished.push(c));
    const calls = Array.from({ length: 10_001 }, (_, i) => call(1_000 + i));
    calls.forEach((c) => pending.add(c));
    expect(finished).toEqual([calls[0]]);
    expect(pending.size).toBe(10_000);
    pending.flush();
  });
});
