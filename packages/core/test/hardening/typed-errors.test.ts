import { describe, expect, it } from "@jest/globals";
import { CANARY_KEYS, holdsKey, printedForms } from "@oncekey/sandbox";
import { rejectionOf, thrownBy, withClient } from "@oncekey/test-support";
import {
  loadConfig,
  OnceHubClient,
  signWebhookPayload,
  staticKey,
  type FromEnvironmentOptions,
  type KeySource,
  type OnceHubClientOptions,
} from "../../src/index.js";

const keys = staticKey("sk-typed-0123456789abcdef");
const build = (options: Record<string, unknown>) => () =>
  new OnceHubClient({ keys, ...options } as unknown as OnceHubClientOptions);
const fromEnvironment = (options: unknown) => () =>
  OnceHubClient.fromEnvironment(options as FromEnvironmentOptions);

describe("bad input to the client and its configuration", () => {
  it.each([
    ["no options at all", fromEnvironment(undefined), "options"],
    ["options without sources", fromEnvironment({}), "sources"],
    ["sources that are not an array", fromEnvironment({ sources: "env", env: {} }), "sources"],
    ["a source that is null", fromEnvironment({ sources: [null], env: {} }), "sources[0]"],
    ["a source without fromConfig", fromEnvironment({ sources: [{ name: "env" }], env: {} }), "sources[0]"],
    ["a variable that is not a string", () => loadConfig({ ONCEKEY_SOURCE: 42 } as never), "ONCEKEY_SOURCE"],
    ["retry that is not an object", build({ retry: "x" }), "retry"],
    ["more connections than can be used", build({ connections: 1e9 }), "connections"],
    ["a misspelt retry option", build({ retry: { maxAttempt: 3 } }), "retry.maxAttempt"],
    ["an unknown option", build({ baseURL: "https://api.oncehub.com/v2" }), "baseURL"],
    ["a misspelt timeout", build({ timeouts: { header: 1 } }), "timeouts.header"],
    ["an onEvent that is not a function", build({ onEvent: "console" }), "onEvent"],
  ])("%s is a ConfigError naming it", (_case, make, variable) => {
    const error = thrownBy(make);
    expect(error).toMatchObject({ code: "CONFIG", variable });
    expect((error as Error).message).not.toMatch(/Cannot read|is not a function|undefined \(reading/);
  });

  it("suggests the option that was meant", () => {
    expect((thrownBy(build({ retry: { maxAttempt: 3 } })) as Error).message).toContain(
      "Did you mean retry.maxAttempts?",
    );
    expect((thrownBy(build({ baseURL: "https://x" })) as Error).message).toContain("Did you mean baseUrl?");
  });

  it("never repeats a key given as the value of a numeric option", () => {
    for (const key of Object.values(CANARY_KEYS)) {
      for (const make of [
        build({ timeouts: { headersMs: key } }),
        build({ timeouts: { totalMs: key } }),
        build({ connections: key }),
        build({ retry: { maxAttempts: key } }),
        build({ rotation: { waitForNewKeyMs: key } }),
        build({ retry: key }),
      ]) {
        const error = thrownBy(make);
        expect(error).toMatchObject({ code: "CONFIG" });
        expect(holdsKey(printedForms(error), key)).toBe(false);
      }
    }
  });

  it("names a source that is not a KeySource by its index", () => {
    const notASource = { name: "env", fromConfig: "yes" } as unknown as KeySource;
    expect(thrownBy(fromEnvironment({ sources: [notASource], env: {} }))).toMatchObject({
      variable: "sources[0]",
      message: expect.stringContaining("sources[0] is not a key source"),
    });
  });
});

describe("bad arguments to calls", () => {
  it("signWebhookPayload names a body that is not a string or Buffer", () => {
    expect(thrownBy(() => signWebhookPayload(42 as never, "secret"))).toMatchObject({
      name: "TypeError",
      message: expect.stringContaining("signWebhookPayload: rawBody must be the exact body to send"),
    });
  });

  it("a query value whose toString throws is refused by name, its toString never called", async () => {
    let called = false;
    const value = {
      toString(): string {
        called = true;
        throw new Error("boom");
      },
    };
    const error = await withClient({ keys, baseUrl: "https://127.0.0.1:9/v2", retry: false }, (client) =>
      rejectionOf(client.request("GET", "/bookings", { query: { status: value as never } })),
    );
    expect(error).toMatchObject({
      name: "TypeError",
      message: expect.stringContaining("query parameter status"),
    });
    expect(called).toBe(false);
  });

  it.each(["expect", "Keep-Alive", "TE", "upgrade"])(
    "the %s header is refused before anything is sent",
    async (name) => {
      const error = await withClient({ keys, baseUrl: "https://127.0.0.1:9/v2", retry: false }, (client) =>
        rejectionOf(client.request("GET", "/test", { headers: { [name]: "100-continue" } })),
      );
      expect(error).toMatchObject({
        name: "TypeError",
        message: expect.stringContaining("cannot be set per request"),
      });
    },
  );

  it("a header value with a line break is refused, not sent", async () => {
    const error = await withClient({ keys, baseUrl: "https://127.0.0.1:9/v2", retry: false }, (client) =>
      rejectionOf(client.request("GET", "/test", { headers: { "X-Trace": "a\r\nAPI-Key: x" } })),
    );
    expect(error).toMatchObject({ name: "TypeError", message: expect.stringContaining("line break") });
  });
});
