import { describe, expect, it } from "@jest/globals";
import { OnceHubClient, staticKey, type CreatedWebhook, type OnceHubClientOptions } from "../../src/index.js";

describe("options under exactOptionalPropertyTypes", () => {
  it("take a variable that may be unset, as `baseUrl: process.env.X` passes one", () => {
    // Type-checked by `pnpm typecheck` (the packages compile with exactOptionalPropertyTypes).
    const fromEnvironment: string | undefined = process.env["ONCEKEY_TEST_UNSET_VARIABLE"];
    const options: OnceHubClientOptions = {
      keys: staticKey("sk-types-0123456789abcdef"),
      baseUrl: fromEnvironment,
      ca: fromEnvironment,
      tenant: fromEnvironment,
      retry: { maxAttempts: undefined },
      timeouts: { totalMs: undefined },
    };
    const client = new OnceHubClient(options);
    expect(client.baseUrl).toBe("https://api.oncehub.com/v2");
    void client.close();
  });

  it("types the secret of a created webhook as always there", () => {
    const created = { secret: "d7686b8c83f04913929079aeae40189e" } as CreatedWebhook;
    const secret: string = created.secret;
    expect(secret).toHaveLength(32);
  });
});
