import "reflect-metadata";
import diagnostics from "node:diagnostics_channel";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { inspect } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import {
  eventChannelName,
  type KeyProvider,
  type OnceHubClient,
  type OnceKeyConfig,
  type OnceKeyEvent,
} from "@oncekey/core";
import { dotenvSource, envSource } from "@oncekey/env";
import { fileSource } from "@oncekey/file";
import { Container } from "inversify";
import { ONCEKEY, OnceKeyModule } from "../src/index.js";
import { useSandboxFixture } from "./sandbox-fixture.js";

const CANARY = "canary-Qm8vT3xLp2Rk7WzN5cHd9YbJ";
const CHANNELS: OnceKeyEvent["type"][] = [
  "request",
  "retry",
  "key:loaded",
  "key:rejected",
  "key:invalidated",
];

/** Everything that could carry the key out of the container: bound values, errors, events. */
const observed: unknown[] = [];
const onChannel = (message: unknown): void => void observed.push(message);

function expose(value: unknown): string {
  const parts = [inspect(value, { depth: 10, showHidden: true }), String(value)];
  try {
    parts.push(JSON.stringify(value) ?? "");
  } catch {
    // Circular values are covered by inspect.
  }
  if (value instanceof Error)
    parts.push(value.message, value.stack ?? "", inspect(value.cause, { depth: 10 }));
  return parts.join("\n");
}

async function settle(promise: Promise<unknown>): Promise<unknown> {
  try {
    return await promise;
  } catch (error) {
    return error;
  }
}

const fixture = useSandboxFixture();
beforeAll(async () => {
  for (const type of CHANNELS) diagnostics.subscribe(eventChannelName(type), onChannel);
});
afterAll(async () => {
  for (const type of CHANNELS) diagnostics.unsubscribe(eventChannelName(type), onChannel);
});

describe("canary key through the container", () => {
  it("never appears in a bound value, an error or an event", async () => {
    const sources = [envSource, dotenvSource, fileSource];
    const keyFile = join(fixture.dir, "canary-key");
    await writeFile(keyFile, `${CANARY}\n`, { mode: 0o600 });
    const dotenvFile = join(fixture.dir, "canary.env");
    await writeFile(dotenvFile, `ONCEHUB_API_KEY=${CANARY}\n`, { mode: 0o600 });
    const onEvent = (event: OnceKeyEvent): void => void observed.push(event);

    // A key OnceHub rejects, from each source: the client, config, provider, 401 error and events.
    for (const env of [
      { ONCEKEY_SOURCE: "env", ONCEHUB_API_KEY: CANARY },
      { ONCEKEY_SOURCE: "dotenv", ONCEKEY_DOTENV_PATH: dotenvFile },
      { ONCEKEY_SOURCE: "file,env", ONCEKEY_FILE_PATH: keyFile, ONCEHUB_API_KEY: CANARY },
    ]) {
      const oncekey = OnceKeyModule.fromEnvironment({
        sources,
        env: { ...fixture.env, ...env },
        client: { onEvent },
      });
      const container = new Container();
      await container.load(oncekey);
      const client = container.get<OnceHubClient>(ONCEKEY.Client);
      observed.push(
        client,
        container.get<OnceKeyConfig>(ONCEKEY.Config),
        container.get<KeyProvider>(ONCEKEY.KeyProvider),
        await container.get<KeyProvider>(ONCEKEY.KeyProvider).getKey(),
        await settle(client.test()),
        client.usage(),
      );
      await container.unload(oncekey);
    }

    // The key pasted into the wrong variable, and bad loads around it.
    for (const env of [
      { ONCEKEY_SOURCE: CANARY },
      { ONCEHUB_BASE_URL: CANARY },
      { ONCEHUB_BASE_URL: `http://${CANARY}.example/v2` },
      { ONCEKEY_CA_FILE: join(fixture.dir, "absent.pem"), ONCEHUB_API_KEY: CANARY },
      { ONCEKEY_SOURCE: "file", ONCEHUB_API_KEY: CANARY },
    ]) {
      observed.push(await settle(new Container().load(OnceKeyModule.fromEnvironment({ sources, env }))));
    }
    observed.push(
      await settle(
        new Container().load(
          OnceKeyModule.fromOptions({ sources: [envSource], variables: { ONCEHUB_BASE_URL: CANARY } }),
        ),
      ),
    );

    const leaks = observed.map(expose).filter((text) => text.includes(CANARY));
    expect(
      observed.some((value) => value instanceof Error && "code" in value && value.code === "AUTHENTICATION"),
    ).toBe(true);
    expect(observed.filter((value) => value instanceof Error).length).toBeGreaterThanOrEqual(9);
    expect(leaks).toEqual([]);
  });
});
