import { describe, expect, it } from "@jest/globals";
import { settled, trackUnhandledRejections } from "@oncekey/test-support";
import { cached, KeyNotFoundError, type KeyProvider } from "../../src/index.js";

/** A source whose reads fail a turn of the event loop later, like an unknown tenant's file that is not there. */
function failingSource(): KeyProvider & { reads: number } {
  const source = {
    name: "failing",
    reads: 0,
    getKey(): Promise<never> {
      source.reads++;
      return new Promise((_, reject) =>
        setImmediate(() => reject(new KeyNotFoundError("No key for this tenant.", { source: "failing" }))),
      );
    },
  };
  return source;
}

describe("a call whose signal is already aborted", () => {
  it("leaves no unhandled rejection behind when the source then fails (the crash of a hung-up request)", async () => {
    const unhandled = trackUnhandledRejections();
    const source = failingSource();
    const keys = cached(source);
    const outcome = await settled(keys.getKey({ tenant: "unknown-tenant", signal: AbortSignal.abort() }));
    expect(outcome).toBeInstanceOf(DOMException);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await unhandled.stop()).toEqual([]);
  });

  it("does not start a source read it would never wait for", async () => {
    const source = failingSource();
    const keys = cached(source);
    await settled(keys.getKey({ tenant: "unknown-tenant", signal: AbortSignal.abort() }));
    expect(source.reads).toBe(0);
  });

  it("leaves no unhandled rejection when it aborts while a shared read is still running", async () => {
    const unhandled = trackUnhandledRejections();
    const keys = cached(failingSource());
    const controller = new AbortController();
    const call = settled(keys.getKey({ tenant: "unknown-tenant", signal: controller.signal }));
    controller.abort();
    expect(await call).toBeInstanceOf(DOMException);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await unhandled.stop()).toEqual([]);
  });
});
