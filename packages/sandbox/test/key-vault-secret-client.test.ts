import { afterAll, afterEach, beforeAll, describe, expect, it } from "@jest/globals";
import { SecretClient } from "@azure/keyvault-secrets";
import { startFakeKeyVault, type FakeKeyVault } from "../src/key-vault/start-fake-key-vault.js";

type TokenCredential = ConstructorParameters<typeof SecretClient>[1];

/** A credential that hands out one fixed token and remembers which scopes it was asked for. */
function fakeCredential(token = "token-a"): TokenCredential & { scopes: string[] } {
  const scopes: string[] = [];
  return {
    scopes,
    async getToken(requested: string | string[]) {
      scopes.push(...[requested].flat());
      return { token, expiresOnTimestamp: Date.now() + 3_600_000 };
    },
  };
}

function clientFor(vault: FakeKeyVault, credential: TokenCredential = fakeCredential()): SecretClient {
  return new SecretClient(vault.url, credential, {
    disableChallengeResourceVerification: true,
    tlsOptions: { ca: vault.ca },
    retryOptions: { maxRetries: 2, retryDelayInMs: 5, maxRetryDelayInMs: 20 },
  });
}

describe(startFakeKeyVault.name, () => {
  let vault: FakeKeyVault;

  beforeAll(async () => {
    vault = await startFakeKeyVault();
  });
  afterEach(() => {
    vault.faults.clear();
    vault.calls.clear();
  });
  afterAll(async () => {
    await vault.close();
  });

  describe("when a client without a token reads a secret", () => {
    it("challenges, then serves the secret to the bearer token the credential returned", async () => {
      vault.setSecret("challenge-flow", "value-1");
      const credential = fakeCredential();

      const secret = await clientFor(vault, credential).getSecret("challenge-flow");

      expect(secret.value).toBe("value-1");
      expect(credential.scopes).toEqual(["https://vault.azure.net/.default"]);
      expect(vault.calls.all().map(({ hasToken, status }) => ({ hasToken, status }))).toEqual([
        { hasToken: false, status: 401 },
        { hasToken: true, status: 200 },
      ]);
    });
  });

  describe("when reading the latest version", () => {
    it("returns the value with the version id, times and vault URL", async () => {
      vault.setSecret("latest", "old");
      const version = vault.setSecret("latest", "new", {
        contentType: "text/plain",
        tags: { team: "billing" },
      });

      const secret = await clientFor(vault).getSecret("latest");

      expect(secret).toMatchObject({ name: "latest", value: "new" });
      expect(secret.properties).toMatchObject({
        version,
        vaultUrl: vault.url,
        id: `${vault.url}/secrets/latest/${version}`,
        enabled: true,
        contentType: "text/plain",
        tags: { team: "billing" },
        recoveryLevel: "Recoverable+Purgeable",
      });
      expect(secret.properties.createdOn).toBeInstanceOf(Date);
      expect(secret.properties.updatedOn).toBeInstanceOf(Date);
    });
  });

  describe("when a version is pinned", () => {
    it("returns that version, not the latest", async () => {
      const first = vault.setSecret("pinned", "first");
      vault.setSecret("pinned", "second");

      const client = clientFor(vault);

      await expect(client.getSecret("pinned", { version: first })).resolves.toMatchObject({ value: "first" });
      await expect(client.getSecret("pinned")).resolves.toMatchObject({ value: "second" });
    });

    it("lists every version without values", async () => {
      const versions = [vault.setSecret("listed", "a"), vault.setSecret("listed", "b")];

      const listed: { version?: string; value?: unknown }[] = [];
      for await (const properties of clientFor(vault).listPropertiesOfSecretVersions("listed"))
        listed.push(properties);

      expect(listed.map((properties) => properties.version)).toEqual(versions);
      expect(listed.every((properties) => !("value" in properties))).toBe(true);
    });
  });

  describe("when the secret does not exist", () => {
    it("rejects with a 404 SecretNotFound RestError", async () => {
      await expect(clientFor(vault).getSecret("never-written")).rejects.toMatchObject({
        name: "RestError",
        statusCode: 404,
        code: "SecretNotFound",
      });
    });

    it("rejects an unknown version of an existing secret the same way", async () => {
      vault.setSecret("known", "v");
      await expect(clientFor(vault).getSecret("known", { version: "0".repeat(32) })).rejects.toMatchObject({
        statusCode: 404,
        code: "SecretNotFound",
      });
    });
  });

  describe("when the secret was deleted", () => {
    it("rejects with 404 SecretNotFound", async () => {
      vault.setSecret("deleted", "v");
      const client = clientFor(vault);
      await client.getSecret("deleted");

      expect(vault.deleteSecret("deleted")).toBe(true);

      await expect(client.getSecret("deleted")).rejects.toMatchObject({
        statusCode: 404,
        code: "SecretNotFound",
      });
    });
  });

  describe("when the latest version is disabled", () => {
    it("rejects with 403 Forbidden whose inner error is SecretDisabled, and still serves older versions", async () => {
      const enabled = vault.setSecret("disabled", "usable");
      vault.setSecret("disabled", "off", { enabled: false });
      const client = clientFor(vault);

      await expect(client.getSecret("disabled")).rejects.toMatchObject({
        statusCode: 403,
        code: "Forbidden",
        message: "Operation get is not allowed on a disabled secret.",
        details: { error: { code: "Forbidden", innerError: { code: "SecretDisabled" } } },
      });
      await expect(client.getSecret("disabled", { version: enabled })).resolves.toMatchObject({
        value: "usable",
      });
    });
  });

  describe("when the secret has expired", () => {
    it("serves it, with expiresOn and notBefore reported", async () => {
      const expiresOn = new Date(Date.UTC(2020, 0, 1));
      const notBefore = new Date(Date.UTC(2019, 0, 1));
      vault.setSecret("expired", "still-served", { expiresOn, notBefore });

      const secret = await clientFor(vault).getSecret("expired");

      expect(secret.value).toBe("still-served");
      expect(secret.properties.expiresOn).toEqual(expiresOn);
      expect(secret.properties.notBefore).toEqual(notBefore);
    });
  });

  describe("when a client writes a secret", () => {
    it("stores a new version, the latest, which getSecret then serves, and answers its properties", async () => {
      const first = vault.setSecret("written", "key-1", { contentType: "text/plain" });
      const client = clientFor(vault);

      const written = await client.setSecret("written", "key-2", {
        contentType: "text/plain",
        tags: { owner: "billing" },
      });

      expect(written).toMatchObject({ name: "written", value: "key-2" });
      expect(written.properties).toMatchObject({
        vaultUrl: vault.url,
        id: `${vault.url}/secrets/written/${written.properties.version}`,
        enabled: true,
        contentType: "text/plain",
        tags: { owner: "billing" },
        recoveryLevel: "Recoverable+Purgeable",
      });
      expect(written.properties.version).toMatch(/^[0-9a-f]{32}$/);
      expect(written.properties.version).not.toBe(first);
      expect(written.properties.updatedOn).toEqual(written.properties.createdOn);
      await expect(client.getSecret("written")).resolves.toMatchObject({
        value: "key-2",
        properties: { version: written.properties.version },
      });
      await expect(client.getSecret("written", { version: first })).resolves.toMatchObject({
        value: "key-1",
      });
      expect(vault.calls.all()).toEqual([
        expect.objectContaining({ method: "PUT", operation: "setSecret", hasToken: false, status: 401 }),
        {
          method: "PUT",
          path: "/secrets/written",
          operation: "setSecret",
          secret: "written",
          version: written.properties.version,
          status: 200,
          hasToken: true,
          fault: null,
          throttled: false,
        },
        expect.objectContaining({ operation: "getSecret", status: 200 }),
        expect.objectContaining({ operation: "getSecret", status: 200 }),
      ]);
    });

    it("creates the secret, and a new version on every write", async () => {
      const client = clientFor(vault);

      const versions = [
        (await client.setSecret("fresh", "a")).properties.version,
        (await client.setSecret("fresh", "b")).properties.version,
      ];

      const listed: (string | undefined)[] = [];
      for await (const properties of client.listPropertiesOfSecretVersions("fresh"))
        listed.push(properties.version);
      expect(listed).toEqual(versions);
      await expect(client.getSecret("fresh")).resolves.toMatchObject({ value: "b" });
    });

    it("keeps enabled, notBefore and expiresOn as given", async () => {
      const client = clientFor(vault);
      const notBefore = new Date(Date.UTC(2026, 0, 1));
      const expiresOn = new Date(Date.UTC(2030, 0, 1));
      const usable = (await client.setSecret("attributes", "on", { notBefore, expiresOn })).properties;

      await client.setSecret("attributes", "off", { enabled: false });

      expect(usable).toMatchObject({ notBefore, expiresOn, enabled: true });
      await expect(client.getSecret("attributes")).rejects.toMatchObject({ statusCode: 403 });
      await expect(client.getSecret("attributes", { version: usable.version! })).resolves.toMatchObject({
        value: "on",
      });
    });

    it("answers 403 Forbidden to a token without set, and writes nothing", async () => {
      const guarded = await startFakeKeyVault({
        name: "read-only",
        tokens: { "reader-token": { permissions: ["get", "list"], identity: "appid=reader-app" } },
      });
      try {
        guarded.setSecret("guarded", "v1");
        const client = clientFor(guarded, fakeCredential("reader-token"));

        const writing = client.setSecret("guarded", "v2");

        await expect(writing).rejects.toMatchObject({
          statusCode: 403,
          code: "Forbidden",
          details: { error: { innerError: { code: "AccessDenied" } } },
        });
        await expect(writing).rejects.toThrow(
          "'appid=reader-app' does not have secrets set permission on key vault 'read-only;location=local'",
        );
        await expect(client.getSecret("guarded")).resolves.toMatchObject({ value: "v1" });
        expect(guarded.calls.count({ operation: "setSecret", status: 403, version: null })).toBe(1);
      } finally {
        await guarded.close();
      }
    });

    it("fails the write alone under a fault injected on setSecret, writing nothing, while reads go on", async () => {
      vault.setSecret("faulted-write", "old");
      const client = clientFor(vault);
      await client.getSecret("faulted-write"); // the challenge, out of the way
      const fault = vault.faults.inject({
        kind: "server-error",
        status: 503,
        operation: "setSecret",
        times: Infinity,
      });

      await expect(client.setSecret("faulted-write", "new")).rejects.toMatchObject({
        statusCode: 503,
        code: "ServiceUnavailable",
      });
      await expect(client.getSecret("faulted-write")).resolves.toMatchObject({ value: "old" });
      expect(fault.hits).toBe(3); // the first try and the SDK's two retries
      expect(vault.calls.count({ operation: "setSecret", fault: "server-error", status: 503 })).toBe(3);
      expect(vault.calls.count({ operation: "getSecret", fault: null, status: 200 })).toBe(2);
    });

    it("lets the SDK retry a write that met a single 500, and stores it once", async () => {
      const client = clientFor(vault);
      vault.faults.inject({ kind: "server-error", operation: "setSecret" });

      const written = await client.setSecret("retried-write", "once");

      const listed: (string | undefined)[] = [];
      for await (const properties of client.listPropertiesOfSecretVersions("retried-write"))
        listed.push(properties.version);
      expect(listed).toEqual([written.properties.version]);
      expect(
        vault.calls
          .all()
          .filter((call) => call.operation === "setSecret" && call.hasToken)
          .map((call) => call.status),
      ).toEqual([500, 200]);
    });

    it("stores nothing when the connection is reset, and the SDK's retry writes the version", async () => {
      const client = clientFor(vault);
      vault.faults.inject({ kind: "reset", operation: "setSecret", secret: "reset-write" });

      await client.setSecret("reset-write", "v");

      expect(vault.calls.count({ operation: "setSecret", fault: "reset", status: null })).toBe(1);
      const listed: unknown[] = [];
      for await (const properties of client.listPropertiesOfSecretVersions("reset-write"))
        listed.push(properties);
      expect(listed).toHaveLength(1);
    });
  });

  describe("when a token is refused", () => {
    let restricted: FakeKeyVault;

    beforeAll(async () => {
      restricted = await startFakeKeyVault({
        name: "restricted",
        tokens: {
          "reader-token": {},
          "lister-token": { permissions: ["list"], identity: "appid=lister-app" },
        },
      });
      restricted.setSecret("guarded", "v");
    });
    afterAll(async () => {
      await restricted.close();
    });

    it("serves a listed token", async () => {
      await expect(
        clientFor(restricted, fakeCredential("reader-token")).getSecret("guarded"),
      ).resolves.toMatchObject({
        value: "v",
      });
    });

    it("answers 403 Forbidden naming the identity and vault when the token lacks get", async () => {
      const reading = clientFor(restricted, fakeCredential("lister-token")).getSecret("guarded");

      await expect(reading).rejects.toMatchObject({
        statusCode: 403,
        code: "Forbidden",
        details: { error: { innerError: { code: "AccessDenied" } } },
      });
      await expect(reading).rejects.toThrow(
        "'appid=lister-app' does not have secrets get permission on key vault 'restricted;location=local'",
      );
    });

    it("answers 401 to a token it does not know", async () => {
      await expect(
        clientFor(restricted, fakeCredential("stranger")).getSecret("guarded"),
      ).rejects.toMatchObject({
        statusCode: 401,
        code: "Unauthorized",
      });
    });
  });

  describe("when throttled", () => {
    it("lets the SDK retry after Retry-After and succeed", async () => {
      vault.setSecret("throttled", "v");
      const client = clientFor(vault);
      await client.getSecret("throttled");
      vault.calls.clear();
      vault.faults.inject({ kind: "throttle", times: 2, retryAfterSeconds: 0 });

      await expect(client.getSecret("throttled")).resolves.toMatchObject({ value: "v" });
      expect(vault.calls.all().map((call) => call.status)).toEqual([429, 429, 200]);
    });

    it("surfaces 429 Throttled once the SDK's retries are spent", async () => {
      vault.setSecret("throttled-long", "v");
      vault.faults.inject({ kind: "throttle", times: Infinity, retryAfterSeconds: 0 });

      await expect(clientFor(vault).getSecret("throttled-long")).rejects.toMatchObject({
        statusCode: 429,
        code: "Throttled",
      });
      expect(vault.calls.count({ status: 429 })).toBe(3);
    });

    it("is not retried by the SDK when no Retry-After is sent", async () => {
      vault.setSecret("throttled-bare", "v");
      vault.faults.inject({ kind: "throttle", times: Infinity, retryAfterSeconds: null });

      await expect(clientFor(vault).getSecret("throttled-bare")).rejects.toMatchObject({ statusCode: 429 });
      expect(vault.calls.count({ status: 429 })).toBe(1);
    });
  });

  describe("when the vault fails with a 5xx", () => {
    it("lets the SDK retry a single 500 and succeed", async () => {
      vault.setSecret("flaky", "v");
      vault.faults.inject({ kind: "server-error" });

      await expect(clientFor(vault).getSecret("flaky")).resolves.toMatchObject({ value: "v" });
      expect(vault.calls.count({ fault: "server-error", status: 500 })).toBe(1);
    });

    it("surfaces a 503 ServiceUnavailable that outlasts the retries", async () => {
      vault.setSecret("down", "v");
      vault.faults.inject({ kind: "server-error", status: 503, times: Infinity });

      await expect(clientFor(vault).getSecret("down")).rejects.toMatchObject({
        statusCode: 503,
        code: "ServiceUnavailable",
      });
    });
  });

  describe("when the connection is reset", () => {
    it("lets the SDK retry once and succeed", async () => {
      vault.setSecret("reset-once", "v");
      vault.faults.inject({ kind: "reset" });

      await expect(clientFor(vault).getSecret("reset-once")).resolves.toMatchObject({ value: "v" });
      expect(vault.calls.count({ fault: "reset", status: null })).toBe(1);
    });

    it("surfaces ECONNRESET when every attempt is reset", async () => {
      vault.setSecret("reset-always", "v");
      vault.faults.inject({ kind: "reset", times: Infinity });

      await expect(clientFor(vault).getSecret("reset-always")).rejects.toMatchObject({ code: "ECONNRESET" });
    });
  });

  describe("when a fault names one secret", () => {
    it("fails only reads of that secret", async () => {
      vault.setSecret("healthy", "h");
      vault.setSecret("Broken", "b");
      vault.faults.inject({ kind: "server-error", secret: "broken", times: Infinity });
      const client = clientFor(vault);

      await expect(client.getSecret("healthy")).resolves.toMatchObject({ value: "h" });
      await expect(client.getSecret("Broken")).rejects.toMatchObject({ statusCode: 500 });
    });
  });
});
