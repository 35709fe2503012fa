import { describe, expect, it } from "@jest/globals";
import { eventLog, sandboxTransportOptions, useSandbox, withClient } from "@oncekey/test-support";
import { ApiKey, cached, chain, OnceHubClient, type KeyProvider } from "../src/index.js";
import { EventHub } from "../src/source.js";

const sandbox = useSandbox();

/** A provider that warns about its key on every read, as a key file readable by others does. */
function warningProvider(raw: () => string): KeyProvider {
  const events = new EventHub(undefined);
  return {
    name: "warning",
    async getKey() {
      events.emit({
        type: "key:warning",
        time: Date.now(),
        source: "warning",
        code: "TEST_WARNING",
        message: "The key's store is readable by others.",
      });
      return ApiKey.from(raw(), { source: "warning" });
    },
    subscribe: (listener) => events.subscribe(listener),
  };
}

describe("the client's onEvent", () => {
  it("sees its provider's events: the cache's key:loaded and the source's key:warning", async () => {
    const log = eventLog();
    const keys = cached(warningProvider(() => sandbox().key));
    await withClient({ keys, ...sandboxTransportOptions(sandbox()), onEvent: log.onEvent }, (client) =>
      client.test(),
    );
    expect(log.events.map((event) => event.type)).toEqual(["key:warning", "key:loaded", "request"]);
  });

  it("sees the events of every link of a chain", async () => {
    const log = eventLog();
    const keys = chain(cached(warningProvider(() => sandbox().key)));
    await withClient({ keys, ...sandboxTransportOptions(sandbox()), onEvent: log.onEvent }, (client) =>
      client.test(),
    );
    expect(log.ofType("key:warning")).toHaveLength(1);
    expect(log.ofType("key:loaded")).toHaveLength(1);
  });

  it("hears one key:rotated per rotation, however many calls saw the old key rejected", async () => {
    const log = eventLog();
    const account = sandbox().accounts.create("rotation@example.com");
    let current = account.key;
    const keys = cached(warningProvider(() => current));
    await withClient(
      { keys, ...sandboxTransportOptions(sandbox()), onEvent: log.onEvent },
      async (client) => {
        await client.test();
        current = sandbox().keys.regenerate(account.key);
        await Promise.all(Array.from({ length: 20 }, () => client.test()));
      },
    );
    expect(log.ofType("key:rejected").length).toBeGreaterThanOrEqual(1);
    expect(log.ofType("key:rotated")).toHaveLength(1);
  });

  it("hears nothing more once the client is closed", async () => {
    const log = eventLog();
    const keys = cached(warningProvider(() => sandbox().key));
    await withClient({ keys, ...sandboxTransportOptions(sandbox()), onEvent: log.onEvent }, (client) =>
      client.test(),
    );
    const heard = log.events.length;
    keys.invalidate?.(await keys.getKey(), undefined);
    await keys.getKey();
    expect(log.events).toHaveLength(heard);
  });
});

describe("two clients of one provider with one listener", () => {
  it("each keep hearing until each is closed", async () => {
    const log = eventLog();
    const keys = cached(warningProvider(() => sandbox().key));
    const options = { keys, ...sandboxTransportOptions(sandbox()), onEvent: log.onEvent };
    const first = new OnceHubClient(options);
    const second = new OnceHubClient(options);
    await first.close();
    keys.invalidate?.(await keys.getKey(), undefined);
    await second.test();
    await second.close();
    expect(log.ofType("key:loaded").length).toBeGreaterThanOrEqual(1);
  });
});
