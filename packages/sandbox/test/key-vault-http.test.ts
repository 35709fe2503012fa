import { afterAll, afterEach, beforeAll, describe, expect, it } from "@jest/globals";
import { Agent, request } from "undici";
import { CANARY_KEYS, holdsKey } from "../src/index.js";
import { startFakeKeyVault, type FakeKeyVault } from "../src/key-vault/start-fake-key-vault.js";

const API = "api-version=2025-07-01";

/** The JSON fields these tests read from Key Vault's answers. */
interface VaultJson {
  value?: unknown;
  id?: string;
  nextLink?: string | null;
  attributes?: { created: number; updated: number };
  error?: { code: string; message: string };
}

describe(startFakeKeyVault.name, () => {
  let vault: FakeKeyVault;
  let agent: Agent;

  async function get(path: string, token: string | null = "token", method = "GET", body?: string) {
    const response = await request(`${vault.url}${path}`, {
      method,
      dispatcher: agent,
      headers: {
        ...(token === null ? {} : { authorization: `Bearer ${token}` }),
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      ...(body === undefined ? {} : { body }),
    });
    return {
      status: response.statusCode,
      headers: response.headers,
      body: (await response.body.json()) as VaultJson,
    };
  }

  const put = (name: string, body: unknown, token: string | null = "token") =>
    get(`/secrets/${name}?${API}`, token, "PUT", typeof body === "string" ? body : JSON.stringify(body));

  beforeAll(async () => {
    vault = await startFakeKeyVault({ tenantId: "11111111-2222-3333-4444-555555555555" });
    agent = new Agent({ connect: { ca: vault.ca } });
  });
  afterEach(() => {
    vault.faults.clear();
    vault.calls.clear();
  });
  afterAll(async () => {
    await agent.close();
    await vault.close();
  });

  describe("when a request carries no token", () => {
    it("answers 401 with Key Vault's bearer challenge", async () => {
      const { status, headers, body } = await get(`/secrets/anything/?${API}`, null);

      expect(status).toBe(401);
      expect(headers["www-authenticate"]).toBe(
        'Bearer authorization="https://login.microsoftonline.com/11111111-2222-3333-4444-555555555555", ' +
          'resource="https://vault.azure.net"',
      );
      expect(body).toEqual({
        error: { code: "Unauthorized", message: "AKV10000: Request is missing a Bearer or PoP token." },
      });
    });

    it("is never answered by an injected fault", async () => {
      vault.faults.inject({ kind: "server-error" });

      expect((await get(`/secrets/anything/?${API}`, null)).status).toBe(401);
      expect(vault.faults.pending).toBe(1);
    });
  });

  describe("when the secret exists", () => {
    it("serves the SecretBundle shape with unix-second attributes", async () => {
      const before = Math.floor(Date.now() / 1000);
      const version = vault.setSecret("shape", "the-value");

      const { status, body } = await get(`/secrets/shape/?${API}`);

      expect(status).toBe(200);
      expect(body).toEqual({
        value: "the-value",
        id: `${vault.url}/secrets/shape/${version}`,
        attributes: {
          enabled: true,
          created: expect.any(Number),
          updated: expect.any(Number),
          recoveryLevel: "Recoverable+Purgeable",
          recoverableDays: 90,
        },
      });
      expect(Number.isInteger(body.attributes?.created)).toBe(true);
      expect(body.attributes?.created).toBeGreaterThanOrEqual(before);
      expect(version).toMatch(/^[0-9a-f]{32}$/);
    });

    it("serves the latest version with or without the trailing slash, and names case-insensitively", async () => {
      const version = vault.setSecret("OnceHub-Key", "v");

      for (const path of [
        "/secrets/OnceHub-Key",
        "/secrets/oncehub-key/",
        `/secrets/ONCEHUB-KEY/${version}`,
      ]) {
        const { status, body } = await get(`${path}?${API}`);
        expect(status).toBe(200);
        expect(body.id).toBe(`${vault.url}/secrets/OnceHub-Key/${version}`);
      }
    });

    it("lists versions as SecretItems without values", async () => {
      const versions = [
        vault.setSecret("items", "a", { contentType: "text/plain" }),
        vault.setSecret("items", "b"),
      ];

      const { status, body } = await get(`/secrets/items/versions?${API}`);

      expect(status).toBe(200);
      expect(body.nextLink).toBeNull();
      const items = body.value as Record<string, unknown>[];
      expect(items.map((item) => item["id"])).toEqual(
        versions.map((version) => `${vault.url}/secrets/items/${version}`),
      );
      expect(items[0]).toMatchObject({ contentType: "text/plain" });
      expect(items.some((item) => "value" in item)).toBe(false);
    });
  });

  describe("when a secret is put", () => {
    it("answers 200 with the new version's SecretBundle, a new version each time", async () => {
      const before = Math.floor(Date.now() / 1000);
      const body = { value: "the-value", contentType: "text/plain", tags: { team: "billing" } };

      const first = await put("put-shape", body);
      const second = await put("put-shape", { value: "another" });

      expect(first.status).toBe(200);
      expect(first.body).toEqual({
        value: "the-value",
        contentType: "text/plain",
        id: expect.stringMatching(new RegExp(`^${vault.url}/secrets/put-shape/[0-9a-f]{32}$`)),
        attributes: {
          enabled: true,
          created: expect.any(Number),
          updated: expect.any(Number),
          recoveryLevel: "Recoverable+Purgeable",
          recoverableDays: 90,
        },
        tags: { team: "billing" },
      });
      expect(first.body.attributes!.created).toBeGreaterThanOrEqual(before);
      expect(first.body.attributes!.updated).toBe(first.body.attributes!.created);
      expect(second.body.id).not.toBe(first.body.id);
      expect((await get(`/secrets/put-shape/?${API}`)).body).toEqual(second.body);
      const version = first.body.id!.split("/").at(-1);
      expect((await get(`/secrets/put-shape/${version}?${API}`)).body).toEqual(first.body);
    });

    it("takes attributes, ignoring the times the service sets itself and fields it does not know", async () => {
      const { status, body } = await put("put-attributes", {
        value: "v",
        attributes: { enabled: false, nbf: 1_767_225_600, exp: 1_893_456_000, created: 1, updated: 1 },
        recoveryLevel: "Purgeable",
      });

      expect(status).toBe(200);
      expect(body.attributes).toMatchObject({ enabled: false, nbf: 1_767_225_600, exp: 1_893_456_000 });
      expect(body.attributes!.created).toBeGreaterThan(1);
      expect((await get(`/secrets/put-attributes/?${API}`)).body.error).toMatchObject({ code: "Forbidden" });
    });

    it("logs the write as setSecret with the version it wrote, never the value", async () => {
      const { body } = await put("put-logged", { value: "secret-value-never-logged" }, "token-never-logged");

      expect(vault.calls.all()).toEqual([
        {
          method: "PUT",
          path: "/secrets/put-logged",
          operation: "setSecret",
          secret: "put-logged",
          version: body.id!.split("/").at(-1),
          status: 200,
          hasToken: true,
          fault: null,
          throttled: false,
        },
      ]);
      expect(JSON.stringify(vault.calls.all())).not.toMatch(/never-logged/);
    });

    it("challenges a put without a token and writes nothing", async () => {
      expect((await put("put-no-token", { value: "v" }, null)).status).toBe(401);
      expect((await get(`/secrets/put-no-token/?${API}`)).status).toBe(404);
    });

    it.each([
      ["a body that is not JSON", (key: string) => `{"value": "${key}"`],
      ["a body that is not an object", (key: string) => JSON.stringify([key])],
      ["no value", (key: string) => JSON.stringify({ contentType: key })],
      ["a value that is not a string", (key: string) => JSON.stringify({ value: { key } })],
      ["a value over 25 KiB", (key: string) => JSON.stringify({ value: key.repeat(1_000) })],
      ["a contentType that is not a string", (key: string) => JSON.stringify({ value: key, contentType: 7 })],
      ["tags that are not strings", (key: string) => JSON.stringify({ value: key, tags: { n: 1 } })],
      ["attributes that are no object", (key: string) => JSON.stringify({ value: key, attributes: key })],
      [
        "an enabled that is no boolean",
        (key: string) => JSON.stringify({ value: key, attributes: { enabled: key } }),
      ],
      [
        "an exp that is no unix time",
        (key: string) => JSON.stringify({ value: key, attributes: { exp: 1.5 } }),
      ],
    ])("answers 400 BadParameter to %s, writing nothing and repeating none of it", async (_, bodyOf) => {
      for (const key of Object.values(CANARY_KEYS)) {
        const { status, body } = await put("put-refused", bodyOf(key));

        expect(status).toBe(400);
        expect(body.error?.code).toBe("BadParameter");
        expect(holdsKey(JSON.stringify(body), key)).toBe(false);
      }
      expect((await get(`/secrets/put-refused/?${API}`)).status).toBe(404);
      expect(vault.calls.count({ operation: "setSecret", status: 400, version: null })).toBe(4);
    });

    it("answers 413 to a body past 256 KiB, and keeps serving", async () => {
      const { status, body } = await put("put-huge", { value: "x".repeat(300 * 1024) });

      expect(status).toBe(413);
      expect(body.error?.code).toBe("BadParameter");
      expect((await put("put-huge", { value: "small" })).status).toBe(200);
    });

    it("stores the write under a truncated-body fault, though the answer cannot be read", async () => {
      vault.faults.inject({ kind: "truncated-body", operation: "setSecret" });

      const response = await request(`${vault.url}/secrets/put-cut?${API}`, {
        method: "PUT",
        dispatcher: agent,
        headers: { authorization: "Bearer token", "content-type": "application/json" },
        body: JSON.stringify({ value: "committed" }),
      });
      const text = await response.body.text();

      expect(response.statusCode).toBe(200);
      expect(() => JSON.parse(text) as unknown).toThrow(SyntaxError);
      expect((await get(`/secrets/put-cut/?${API}`)).body.value).toBe("committed");
    });

    it("stores the write only when the answer goes out, under a delay fault", async () => {
      vault.faults.inject({ kind: "delay", delayMs: 20, operation: "setSecret" });

      const { status } = await put("put-slow", { value: "late" });

      expect(status).toBe(200);
      expect((await get(`/secrets/put-slow/?${API}`)).body.value).toBe("late");
      expect(vault.calls.all()[0]).toMatchObject({ operation: "setSecret", fault: "delay", status: 200 });
    });
  });

  describe("when the request is malformed", () => {
    it("answers 400 BadParameter without api-version", async () => {
      vault.setSecret("no-version", "v");
      const { status, body } = await get("/secrets/no-version/");
      expect(status).toBe(400);
      expect(body.error?.code).toBe("BadParameter");
    });

    it("answers 400 BadParameter for a name Key Vault cannot hold", async () => {
      const { status, body } = await get(`/secrets/under_score/?${API}`);
      expect(status).toBe(400);
      expect(body.error?.code).toBe("BadParameter");
    });

    it("answers 405 to methods it does not serve on a secret's path, and 404 to paths it does not serve", async () => {
      vault.setSecret("x", "v");
      expect((await get(`/secrets/x/?${API}`, "token", "DELETE")).status).toBe(405);
      expect((await get(`/secrets/x/versions?${API}`, "token", "PUT", "{}")).status).toBe(405);
      expect((await get(`/secrets/x/${"0".repeat(32)}?${API}`, "token", "PUT", "{}")).status).toBe(405);
      expect((await get(`/keys/x/?${API}`)).status).toBe(404);
      expect(vault.calls.all().map(({ operation, secret }) => ({ operation, secret }))).toEqual([
        { operation: "unknown", secret: "x" },
        { operation: "unknown", secret: "x" },
        { operation: "unknown", secret: "x" },
        { operation: "unknown", secret: null },
      ]);
    });
  });

  describe("when faults are injected", () => {
    it("sends Retry-After: 1 with a throttle by default", async () => {
      vault.faults.inject({ kind: "throttle" });

      const { status, headers, body } = await get(`/secrets/any/?${API}`);

      expect(status).toBe(429);
      expect(headers["retry-after"]).toBe("1");
      expect(body.error?.code).toBe("Throttled");
    });

    it("serves each fault for its number of requests, first queued first", async () => {
      vault.setSecret("queued", "v");
      vault.faults.inject({ kind: "server-error", status: 502, times: 2 });
      vault.faults.inject({ kind: "throttle" });
      expect(vault.faults.pending).toBe(3);

      const statuses: number[] = [];
      for (let i = 0; i < 4; i += 1) statuses.push((await get(`/secrets/queued/?${API}`)).status);

      expect(statuses).toEqual([502, 502, 429, 200]);
      expect(vault.faults.pending).toBe(0);
    });

    it("cuts the body of the normal answer in half under a truncated-body fault", async () => {
      vault.setSecret("cut", "the-value");
      vault.faults.inject({ kind: "truncated-body" });

      const response = await request(`${vault.url}/secrets/cut/?${API}`, {
        dispatcher: agent,
        headers: { authorization: "Bearer token" },
      });
      const text = await response.body.text();

      expect(response.statusCode).toBe(200);
      expect(text.length).toBe(Number(response.headers["content-length"]));
      expect(() => JSON.parse(text) as unknown).toThrow(SyntaxError);
      expect(vault.calls.last()).toMatchObject({ status: 200, fault: "truncated-body" });
    });

    it("answers normally, only later, under a delay fault", async () => {
      vault.setSecret("slow", "v");
      vault.faults.inject({ kind: "delay", delayMs: 20 });

      const { status } = await get(`/secrets/slow/?${API}`);

      expect(status).toBe(200);
      expect(vault.calls.all()).toEqual([expect.objectContaining({ status: 200, fault: "delay" })]);
    });

    it("faults an even share of requests with fraction, and can be withdrawn by its handle", async () => {
      vault.setSecret("shared", "v");
      const fault = vault.faults.inject({ kind: "server-error", status: 503, fraction: 0.5 });

      const statuses: number[] = [];
      for (let i = 0; i < 4; i += 1) statuses.push((await get(`/secrets/shared/?${API}`)).status);
      fault.remove();

      expect(statuses).toEqual([200, 503, 200, 503]);
      expect(fault.hits).toBe(2);
      expect((await get(`/secrets/shared/?${API}`)).status).toBe(200);
    });

    it("refuses a fault that could never apply", () => {
      expect(() => vault.faults.inject({ kind: "reset", times: 0 })).toThrow(RangeError);
      expect(() => vault.faults.inject({ kind: "server-error", status: 404 })).toThrow(RangeError);
      expect(() => vault.faults.inject({ kind: "delay", delayMs: -1 })).toThrow(RangeError);
      expect(() => vault.faults.inject({ kind: "reset", times: 1.5 })).toThrow(RangeError);
      expect(() => vault.faults.inject({ kind: "explode" } as never)).toThrow(RangeError);
      expect(() => vault.faults.inject({ kind: "delay", delayMs: Infinity })).toThrow(RangeError);
      expect(() => vault.faults.inject({ kind: "throttle", retryAfterSeconds: 0.5 })).toThrow(RangeError);
      // A secret that is not a string would fail each later request while it is matched.
      expect(() => vault.faults.inject({ kind: "reset", secret: 7 as never })).toThrow(RangeError);
      expect(() => vault.faults.inject({ kind: "reset", operation: "deleteSecret" as never })).toThrow(
        /operation must be getSecret, getSecretVersions, setSecret/,
      );
      expect(vault.faults.pending).toBe(0);
    });
  });

  describe("when requests are logged", () => {
    it("records method, path, secret, version, status and token presence, never values or tokens", async () => {
      const version = vault.setSecret("logged", "secret-value-never-logged");
      await get(`/secrets/logged/${version}?${API}`, "token-never-logged");

      expect(vault.calls.all()).toEqual([
        {
          method: "GET",
          path: `/secrets/logged/${version}`,
          operation: "getSecret",
          secret: "logged",
          version,
          status: 200,
          hasToken: true,
          fault: null,
          throttled: false,
        },
      ]);
      expect(JSON.stringify(vault.calls.all())).not.toMatch(/never-logged/);
    });
  });

  describe("when a secret is written", () => {
    it("refuses names Key Vault refuses and oversized values", () => {
      expect(() => vault.setSecret("has_underscore", "v")).toThrow(TypeError);
      expect(() => vault.setSecret("x".repeat(128), "v")).toThrow(TypeError);
      expect(() => vault.setSecret("big", "x".repeat(25 * 1024 + 1))).toThrow(TypeError);
      expect(vault.setSecret("x".repeat(127), "v")).toMatch(/^[0-9a-f]{32}$/);
    });

    it("serves the created and updated times it was given", async () => {
      const createdOn = new Date("2025-03-01T08:00:00Z");
      const updatedOn = new Date("2025-06-01T08:00:00Z");
      vault.setSecret("aged", "v", { createdOn, updatedOn });
      vault.setSecret("aged-once", "v", { updatedOn });

      const { body } = await get(`/secrets/aged/?${API}`);
      const { body: once } = await get(`/secrets/aged-once/?${API}`);

      expect(body.attributes).toMatchObject({
        created: createdOn.getTime() / 1000,
        updated: updatedOn.getTime() / 1000,
      });
      expect(once.attributes).toMatchObject({
        created: updatedOn.getTime() / 1000,
        updated: updatedOn.getTime() / 1000,
      });
    });

    it.each([
      [{ createdOn: "2025-01-01" }, TypeError, "setSecret: createdOn must be a Date, got a string."],
      [
        { updatedOn: new Date(Number.NaN) },
        RangeError,
        "setSecret: updatedOn must be a valid Date after 1970.",
      ],
      [{ createdOn: new Date(Date.now() + 86_400_000) }, RangeError, "cannot lie in the future"],
      [
        { createdOn: new Date("2025-06-01"), updatedOn: new Date("2025-01-01") },
        RangeError,
        "setSecret: updatedOn cannot be before createdOn.",
      ],
      [{ expiresOn: 1_893_456_000 }, TypeError, "setSecret: expiresOn must be a Date, got a number."],
      [{ enabled: "yes" }, TypeError, "setSecret: enabled must be true or false, got a string."],
      [{ contentType: 7 }, TypeError, "setSecret: contentType must be a string, got a number."],
      [{ tags: { n: 1 } }, TypeError, "setSecret: tags must be an object of string values"],
      [{ created: new Date() }, TypeError, 'setSecret: unknown option "created"'],
    ])("refuses the option %j, writing nothing", (options, type, message) => {
      expect(() => vault.setSecret("refused-options", "v", options as never)).toThrow(type);
      expect(() => vault.setSecret("refused-options", "v", options as never)).toThrow(message);
    });

    it("reports whether a deleted secret existed", () => {
      vault.setSecret("to-delete", "v");
      expect(vault.deleteSecret("TO-DELETE")).toBe(true);
      expect(vault.deleteSecret("to-delete")).toBe(false);
    });
  });

  describe("when closed", () => {
    it("drops kept-alive connections and refuses new ones", async () => {
      const closing = await startFakeKeyVault();
      const keepAlive = new Agent({ connect: { ca: closing.ca } });
      await (await request(`${closing.url}/secrets/x/?${API}`, { dispatcher: keepAlive })).body.dump();

      await closing.close();

      await expect(
        request(`${closing.url}/secrets/x/?${API}`, { dispatcher: keepAlive }),
      ).rejects.toMatchObject({
        code: "ECONNREFUSED",
      });
      await keepAlive.close();
    });
  });
});
