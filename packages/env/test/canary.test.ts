import diagnostics from "node:diagnostics_channel";
import { rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { chain, eventChannelName, resolveKeyProvider, type OnceKeyEvent } from "@oncekey/core";
import { setTimeout as sleep } from "node:timers/promises";
import { printedForms } from "@oncekey/sandbox";
import { eventLog, eventually, useTempDir } from "@oncekey/test-support";
import { dotenvSource, envSource, fromDotenv, fromEnv } from "../src/index.js";
import { canaryKey } from "./helpers.js";

const CHANNELS: OnceKeyEvent["type"][] = [
  "key:loaded",
  "key:rotated",
  "key:invalidated",
  "key:stale",
  "key:warning",
];

/** Everything the package produced in the scenarios below, as text. */
const outputs: string[] = [];
const record = (value: unknown): void => void outputs.push(printedForms(value));
const failure = async (promise: Promise<unknown>): Promise<void> => {
  record(
    await promise.then(
      () => new Error("expected a failure"),
      (e: unknown) => e,
    ),
  );
};

describe("the canary key", () => {
  const fromChannels = (event: unknown): void => record(event);
  const dir = useTempDir();
  const { events, onEvent } = eventLog();

  beforeAll(async () => {
    for (const type of CHANNELS) diagnostics.subscribe(eventChannelName(type), fromChannels);
  });
  afterAll(async () => {
    for (const type of CHANNELS) diagnostics.unsubscribe(eventChannelName(type), fromChannels);
  });

  it("never shows in errors, events, inspect or JSON of fromEnv", async () => {
    const env: Record<string, string> = { ONCEHUB_API_KEY: canaryKey(), ONCEHUB_API_KEY_ACME: canaryKey() };
    const keys = fromEnv({ env, onEvent });
    const key = await keys.getKey();
    record(key);
    record(keys);
    env.ONCEHUB_API_KEY = canaryKey();
    keys.invalidate?.(key);
    record(await keys.getKey());
    await failure(fromEnv({ env: { ONCEHUB_API_KEY: `${canaryKey()} x` } }).getKey());
    await failure(fromEnv({ env: { ONCEHUB_API_KEY: `\uFEFF${canaryKey()}\r\n` } }).getKey());
    await failure(fromEnv({ variable: "ONCEHUB_API_KEY_{tenant}", env }).getKey({ tenant: "Acme" }));
    await failure(chain(fromEnv({ env: {} }), fromEnv({ variable: "X", env })).getKey());
    await failure(Promise.resolve().then(() => fromEnv({ variable: canaryKey() })));
  });

  it("never shows in errors, events, inspect or JSON of fromDotenv", async () => {
    const envFile = join(dir.path, ".env");
    await writeFile(envFile, `ONCEHUB_API_KEY=${canaryKey()}\n`, { mode: 0o644 });
    const keys = fromDotenv({ path: envFile, onEvent, debounceMs: 10, rewriteGraceMs: 300, checkGit: false });
    dir.track(keys);
    record(await keys.getKey());
    record(keys);
    const next = canaryKey();
    await writeFile(envFile, `ONCEHUB_API_KEY=${next}\n`);
    await eventually(async () => (await keys.getKey()).reveal() === next, { what: "the rotated key" });
    await writeFile(envFile, `ONCEHUB_API_KEY="${canaryKey()} broken"\n`);
    await sleep(30);
    record(await keys.getKey().catch((e: unknown) => e));
    await eventually(
      () =>
        keys.getKey().then(
          () => false,
          (e: unknown) => (record(e), true),
        ),
      { what: "the broken key to stand" },
    );
    const stale = fromDotenv({ path: envFile, watch: false, checkGit: false, onEvent, cache: { ttlMs: 1 } });
    dir.track(stale);
    await writeFile(envFile, `ONCEHUB_API_KEY=${canaryKey()}\n`);
    record(await stale.getKey());
    await rm(envFile);
    await sleep(5);
    record(await stale.getKey());
    await failure(fromDotenv({ path: join(dir.path, "absent.env"), checkGit: false }).getKey());
  });

  it("never shows in configuration errors", async () => {
    await failure(
      Promise.resolve().then(() => resolveKeyProvider({ ONCEKEY_ENV_VAR: canaryKey() }, [envSource])),
    );
    await failure(
      Promise.resolve().then(() =>
        resolveKeyProvider({ ONCEKEY_SOURCE: "dotenv", ONCEKEY_ENV_VAR: canaryKey() }, [
          envSource,
          dotenvSource,
        ]),
      ),
    );
  });

  it("was looked for in everything recorded", () => {
    for (const event of events) record(event);
    expect(events.map((e) => e.type)).toEqual(
      expect.arrayContaining(["key:rotated", "key:stale", "key:warning"]),
    );
    // Each recorded value, printed every way a log could print it.
    expect(outputs.length).toBeGreaterThan(30);
    expect(outputs.filter((text) => text.includes("canary-"))).toEqual([]);
  });
});
