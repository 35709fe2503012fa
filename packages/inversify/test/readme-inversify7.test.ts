import "reflect-metadata";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import type { OnceHubClient } from "@oncekey/core";
import { azureKeyVaultSource } from "@oncekey/azure-keyvault";
import { dotenvSource, envSource } from "@oncekey/env";
import { fileSource } from "@oncekey/file";
import { keyFingerprint } from "@oncekey/sandbox";
import { ONCEKEY, OnceKeyModule } from "@oncekey/inversify";
import { Container, inject, injectable } from "inversify";
import { readmeLinesMissingFrom } from "./readme-code.js";
import { useSandboxEnv } from "./sandbox-env.js";

// The README's example with its inversify 7 lines (its second block, checked below), run against the sandbox with
// inversify 7 (`load` and `unload` asynchronous). This file runs in the jest project of inversify 7 only.
@injectable()
class Agenda {
  constructor(@inject(ONCEKEY.Client) private readonly oncehub: OnceHubClient) {}

  async bookingIds(): Promise<string[]> {
    const ids: string[] = [];
    for await (const booking of this.oncehub.bookings.list()) ids.push(booking.id);
    return ids;
  }
}

const fixture = useSandboxEnv({ bookings: 3 });
const saved = { ...process.env };
beforeAll(async () => {
  Object.assign(process.env, fixture.env, { ONCEKEY_SOURCE: "env", ONCEHUB_API_KEY: fixture.sandbox.key });
});
afterAll(async () => {
  for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
  Object.assign(process.env, saved);
});

describe("README", () => {
  it("shows inversify 7 lines that this test runs", () => {
    expect(readmeLinesMissingFrom(1, __filename)).toEqual([]);
  });

  it("runs the first example with inversify 7", async () => {
    const oncekey = OnceKeyModule.fromEnvironment({
      sources: [envSource, dotenvSource, fileSource, azureKeyVaultSource],
    });
    const container = new Container();
    container.bind(Agenda).toSelf();
    await container.load(oncekey); // a bad configuration rejects here, with a ConfigError naming the variable
    const ids = await container.get(Agenda).bookingIds();
    await container.unload(oncekey); // closes the client and the key provider

    expect(ids).toHaveLength(3);
    expect(fixture.sandbox.requests.last()).toMatchObject({
      path: "/v2/bookings",
      status: 200,
      fingerprint: keyFingerprint(fixture.sandbox.key),
    });
    expect(container.isBound(ONCEKEY.Client)).toBe(false);
  });
});
