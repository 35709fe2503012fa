import "reflect-metadata";
import diagnostics from "node:diagnostics_channel";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import {
  eventChannelName,
  type KeyProvider,
  type OnceHubClient,
  type OnceKeyConfig,
  type OnceKeyEvent,
} from "@oncekey/core";
import { dotenvSource, envSource } from "@oncekey/env";
import { fileSource } from "@oncekey/file";
import { CANARY_KEYS } from "@oncekey/sandbox";
import { eventLog, rejectionOf, showsKey, type EventLog } from "@oncekey/test-support";
import { Container } from "inversify";
import { ONCEKEY, OnceKeyModule } from "../src/index.js";
import { loadAsync, unloadAsync } from "./inversify-major.js";
import { useSandboxEnv } from "./sandbox-env.js";

// A key OnceHub does not know, pushed through the container every way it can travel; each scenario checks alone
// that it never comes out: not in a bound value, an error, an event of the client's listener or of the channels.
const CANARY = CANARY_KEYS.dashed;
const CHANNELS: OnceKeyEvent["type"][] = [
  "request",
  "retry",
  "key:loaded",
  "key:rejected",
  "key:invalidated",
];
const sources = [envSource, dotenvSource, fileSource];

const fixture = useSandboxEnv();
/** Everything published on the channels during the test. */
let published: unknown[];
const onChannel = (message: unknown): void => void published.push(message);
beforeEach(() => {
  published = [];
  for (const type of CHANNELS) diagnostics.subscribe(eventChannelName(type), onChannel);
});
afterEach(() => {
  for (const type of CHANNELS) diagnostics.unsubscribe(eventChannelName(type), onChannel);
});

describe("a canary key through the container", () => {
  describe("when OnceHub rejects it", () => {
    /** The variables that make each source serve the canary, in files written for the test. */
    const configurations: [string, () => Promise<Record<string, string>>][] = [
      ["env", async () => ({ ONCEKEY_SOURCE: "env", ONCEHUB_API_KEY: CANARY })],
      [
        "dotenv",
        async () => {
          const path = join(fixture.dir, "canary.env");
          await writeFile(path, `ONCEHUB_API_KEY=${CANARY}\n`, { mode: 0o600 });
          return { ONCEKEY_SOURCE: "dotenv", ONCEKEY_DOTENV_PATH: path };
        },
      ],
      [
        "file,env",
        async () => {
          const path = join(fixture.dir, "canary-key");
          await writeFile(path, `${CANARY}\n`, { mode: 0o600 });
          return { ONCEKEY_SOURCE: "file,env", ONCEKEY_FILE_PATH: path, ONCEHUB_API_KEY: CANARY };
        },
      ],
    ];

    it.each(configurations)(
      "never shows it from %s: bound values, the 401 error, usage, events",
      async (_, variables) => {
        const log: EventLog = eventLog();
        const oncekey = OnceKeyModule.fromEnvironment({
          sources,
          env: { ...fixture.env, ...(await variables()) },
          client: { onEvent: log.onEvent },
        });
        const container = new Container();
        await loadAsync(container, oncekey);
        const client = container.get<OnceHubClient>(ONCEKEY.Client);
        const keys = container.get<KeyProvider>(ONCEKEY.KeyProvider);
        const config = container.get<OnceKeyConfig>(ONCEKEY.Config);
        const key = await keys.getKey();
        const error = await rejectionOf(client.test());
        const usage = client.usage();
        await unloadAsync(container, oncekey);

        expect(error).toMatchObject({ code: "AUTHENTICATION" });
        expect(log.ofType("key:rejected")).not.toHaveLength(0);
        expect(showsKey(CANARY, client, config, keys, key, error, usage, ...log.events, ...published)).toBe(
          false,
        );
      },
    );
  });

  describe("when it is pasted into the wrong variable, or the load fails around it", () => {
    const loads: [string, () => OnceKeyModule, Record<string, string>][] = [
      [
        "ONCEKEY_SOURCE",
        () => OnceKeyModule.fromEnvironment({ sources, env: { ONCEKEY_SOURCE: CANARY } }),
        { code: "CONFIG", variable: "ONCEKEY_SOURCE" },
      ],
      [
        "ONCEHUB_BASE_URL",
        () => OnceKeyModule.fromEnvironment({ sources, env: { ONCEHUB_BASE_URL: CANARY } }),
        { code: "CONFIG", variable: "ONCEHUB_BASE_URL" },
      ],
      [
        "the host of an http ONCEHUB_BASE_URL",
        () =>
          OnceKeyModule.fromEnvironment({
            sources,
            env: { ONCEHUB_BASE_URL: `http://${CANARY}.example/v2` },
          }),
        { code: "CONFIG", variable: "ONCEHUB_BASE_URL" },
      ],
      [
        "ONCEHUB_API_KEY, with an absent CA file",
        () =>
          OnceKeyModule.fromEnvironment({
            sources,
            env: { ONCEKEY_CA_FILE: join(fixture.dir, "absent.pem"), ONCEHUB_API_KEY: CANARY },
          }),
        { code: "CONFIG", variable: "ONCEKEY_CA_FILE" },
      ],
      [
        "ONCEHUB_API_KEY, with a source that lacks its variable",
        () =>
          OnceKeyModule.fromEnvironment({
            sources,
            env: { ONCEKEY_SOURCE: "file", ONCEHUB_API_KEY: CANARY },
          }),
        { code: "CONFIG", variable: "ONCEKEY_FILE_PATH" },
      ],
      [
        "fromOptions' variables.ONCEHUB_BASE_URL",
        () => OnceKeyModule.fromOptions({ sources: [envSource], variables: { ONCEHUB_BASE_URL: CANARY } }),
        { code: "CONFIG", variable: "variables.ONCEHUB_BASE_URL" },
      ],
    ];

    it.each(loads)("never shows it from %s", async (_, make, expected) => {
      const container = new Container();

      const error = await rejectionOf(loadAsync(container, make()));

      expect(error).toMatchObject(expected);
      expect(container.isBound(ONCEKEY.Client)).toBe(false);
      expect(showsKey(CANARY, error, ...published)).toBe(false);
    });
  });
});
