import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import diagnostics from "node:diagnostics_channel";
import { printedForms } from "@oncekey/sandbox";
import { settled } from "@oncekey/test-support";
import {
  ApiKey,
  cached,
  chain,
  eventChannelName,
  KeyNotFoundError,
  KeySourceError,
  loadConfig,
  resolveKeyProvider,
  staticKey,
  type KeyProvider,
  type KeySource,
  type OnceKeyEvent,
} from "../src/index.js";

const CANARY = "canary-7dKq2mZx9PwLr4Vt8NbY3cHs";

/** Everything that could carry the key out: messages, stacks, inspect and JSON of errors, keys and events. */
const observed: unknown[] = [];
const channelTypes: OnceKeyEvent["type"][] = [
  "key:loaded",
  "key:rotated",
  "key:invalidated",
  "key:stale",
  "key:warning",
];
const onChannel = (message: unknown): void => void observed.push(message);

describe("canary key", () => {
  beforeAll(() => channelTypes.forEach((t) => diagnostics.subscribe(eventChannelName(t), onChannel)));
  afterAll(() => channelTypes.forEach((t) => diagnostics.unsubscribe(eventChannelName(t), onChannel)));

  it("never appears in any message, inspect, JSON or event on any path", async () => {
    const events: OnceKeyEvent[] = [];
    const onEvent = (e: OnceKeyEvent): void => void events.push(e);

    // ApiKey: printing and every malformed variant.
    const key = ApiKey.from(CANARY, { source: "test" });
    observed.push(key, { key }, [key]);
    for (const bad of [
      `${CANARY} `,
      `${CANARY}\r\n`,
      `\uFEFF${CANARY}`,
      `${CANARY}\n${CANARY}`,
      `${CANARY}é`,
      CANARY.repeat(20),
    ]) {
      observed.push(
        await settled(Promise.resolve().then(() => ApiKey.from(bad, { source: "env:ONCEHUB_API_KEY" }))),
      );
      observed.push(await settled(Promise.resolve().then(() => staticKey(bad))));
    }

    // cached: load, rotation, invalidation, stale, not found, source errors.
    let value: string | Error = CANARY;
    let time = 0;
    const source: KeyProvider = {
      name: "canary-source",
      getKey: async () => {
        if (value instanceof Error) throw value;
        return ApiKey.from(value, { source: "canary-source" });
      },
    };
    const keys = cached(source, { onEvent, ttlMs: 10, now: () => time });
    const first = await keys.getKey({ tenant: "acme" });
    observed.push(first);
    value = `${CANARY}-next`;
    keys.invalidate?.(first, { tenant: "acme" });
    observed.push(await keys.getKey({ tenant: "acme" }));
    time += 11;
    value = new KeySourceError("the store is down", { source: "canary-source" });
    observed.push(await keys.getKey({ tenant: "acme" }));
    value = new KeyNotFoundError("no key", { source: "canary-source" });
    observed.push(await settled(keys.getKey({ tenant: "other" })));
    observed.push(await settled(keys.getKey({ tenant: "../etc" })));

    // chain: all links not found, and a link with a malformed key.
    observed.push(await settled(chain(keys, keys).getKey({ tenant: "ghost" })));
    observed.push(
      await settled(chain({ name: "x", getKey: async () => ApiKey.from(`${CANARY} `) }).getKey()),
    );

    // configuration: the key sits in the environment while configuration fails in every way.
    const envSource: KeySource = {
      name: "env",
      fromConfig: (config) => staticKey(config.env.ONCEHUB_API_KEY ?? ""),
    };
    for (const vars of [
      { ONCEHUB_API_KEY: CANARY, ONCEKEY_SOURCE: CANARY },
      { ONCEHUB_API_KEY: CANARY, ONCEKEY_SOURCE: "file" },
      { ONCEHUB_API_KEY: CANARY, ONCEHUB_BASE_URL: `http://${CANARY}.example/v2` },
      { ONCEHUB_API_KEY: `${CANARY}\t` },
    ]) {
      observed.push(await settled(Promise.resolve().then(() => resolveKeyProvider(vars, [envSource]))));
      observed.push(await settled(Promise.resolve().then(() => loadConfig(vars))));
    }

    observed.push(...events);
    expect(events.map((e) => e.type)).toEqual(
      expect.arrayContaining(["key:loaded", "key:invalidated", "key:rotated", "key:stale"]),
    );
    expect(observed.length).toBeGreaterThanOrEqual(40);
    for (const item of observed) expect(printedForms(item)).not.toContain(CANARY);
  });
});
