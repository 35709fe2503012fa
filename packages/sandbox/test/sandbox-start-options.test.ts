import { afterEach, describe, expect, it } from "@jest/globals";
import { generate } from "selfsigned";
import {
  CANARY_KEYS,
  createTlsMaterial,
  holdsKey,
  keyFingerprint,
  printedForms,
  startSandbox,
  type Sandbox,
  type TlsMaterial,
} from "../src/index.js";
import { issueTlsMaterial } from "../src/tls/issue-tls-material.js";
import { call, trustingAgent } from "./sandbox-helpers.js";

const DAY = 24 * 3600_000;

describe(startSandbox.name, () => {
  let sandbox: Sandbox | undefined;
  afterEach(async () => {
    await sandbox?.close();
    sandbox = undefined;
  });

  describe("with tls", () => {
    it("serves HTTPS with the given certificates, trusted by their CA", async () => {
      const tls = await createTlsMaterial("given");
      sandbox = await startSandbox({ tls, rateLimit: false });
      expect(sandbox.ca).toBe(tls.ca);
      const agent = trustingAgent(sandbox);
      try {
        expect((await call(agent, `${sandbox.baseUrl}/test`, { key: sandbox.key })).status).toBe(200);
      } finally {
        await agent.close();
      }
    });

    it("serves the same certificates after a restart, so a client keeps trusting it", async () => {
      const tls = await createTlsMaterial("kept");
      const first = await startSandbox({ tls });
      const port = Number(new URL(first.url).port);
      const agent = trustingAgent(first);
      try {
        expect((await call(agent, `${first.baseUrl}/test`, { key: first.key })).status).toBe(200);
        await first.close();
        sandbox = await startSandbox({ tls, port, key: first.key });
        expect((await call(agent, `${sandbox.baseUrl}/test`, { key: first.key })).status).toBe(200);
      } finally {
        await agent.close();
      }
    });

    describe("that cannot serve 127.0.0.1 now", () => {
      let a: TlsMaterial;
      let b: TlsMaterial;
      const refusal = (tls: unknown) => startSandbox({ tls: tls as TlsMaterial }).catch((e: unknown) => e);

      it.each([
        ["not an object", () => "pem", /tls must be \{ ca, cert, key \}/],
        ["missing the key", () => ({ ca: a.ca, cert: a.cert }), /tls\.key must be PEM text, got undefined/],
        ["with an unknown field", () => ({ ...a, chain: a.ca }), /unknown option "chain"/],
        [
          "a CA that is no certificate",
          () => ({ ...a, ca: "-----BEGIN CERTIFICATE-----" }),
          /tls\.ca is not a PEM/,
        ],
        ["a key that is no key", () => ({ ...a, key: "key" }), /tls\.key is not a PEM private key/],
        ["a CA that is not a CA", () => ({ ...a, ca: a.cert }), /tls\.ca is not a CA certificate/],
        [
          "another certificate's key",
          () => ({ ...a, key: b.key }),
          /tls\.key is not the private key of tls\.cert/,
        ],
        [
          "a certificate another CA signed",
          () => ({ ...a, ca: b.ca }),
          /tls\.cert was not signed by tls\.ca/,
        ],
      ])("refuses %s with a TypeError that says so", async (_case, material, message) => {
        a ??= await createTlsMaterial("a");
        b ??= await createTlsMaterial("b");
        const error = await refusal(material());
        expect(error).toBeInstanceOf(TypeError);
        expect((error as Error).message).toMatch(message);
      });

      it("refuses expired and not yet valid certificates, saying when", async () => {
        const expired = await issueTlsMaterial("old", {
          notBefore: new Date(Date.now() - 10 * DAY),
          days: 7,
        });
        expect(await refusal(expired)).toMatchObject({
          message: expect.stringMatching(/tls\.ca expired on 20/),
        });
        const early = await issueTlsMaterial("early", { notBefore: new Date(Date.now() + DAY), days: 7 });
        expect(await refusal(early)).toMatchObject({ message: expect.stringMatching(/not valid before 20/) });
      });

      it("refuses a certificate that is not for 127.0.0.1", async () => {
        const authority = await generate([{ name: "commonName", value: "CA" }], {
          keyType: "ec",
          extensions: [{ name: "basicConstraints", cA: true, critical: true }],
        });
        const server = await generate([{ name: "commonName", value: "example.com" }], {
          keyType: "ec",
          ca: { key: authority.private, cert: authority.cert },
          extensions: [{ name: "subjectAltName", altNames: [{ type: 2, value: "example.com" }] }],
        });
        const tls = { ca: authority.cert, cert: server.cert, key: server.private };
        expect(await refusal(tls)).toMatchObject({
          message: expect.stringMatching(/not valid for 127\.0\.0\.1/),
        });
      });

      it("never quotes the private key", async () => {
        a ??= await createTlsMaterial("a");
        b ??= await createTlsMaterial("b");
        const error = await refusal({ ...a, key: b.key });
        expect(holdsKey(printedForms(error), b.key.replace(/-----[A-Z ]+-----|\s/g, ""))).toBe(false);
      });
    });
  });

  describe("with key", () => {
    it("gives the default account that key", async () => {
      const key = "sandbox-key-kept-across-restarts_0123456789";
      sandbox = await startSandbox({ key, rateLimit: false });
      expect(sandbox.key).toBe(key);
      expect(sandbox.keys.list(sandbox.account.id).map((info) => info.fingerprint)).toEqual([
        keyFingerprint(key),
      ]);
      const agent = trustingAgent(sandbox);
      try {
        expect((await call(agent, `${sandbox.baseUrl}/test`, { key })).status).toBe(200);
      } finally {
        await agent.close();
      }
    });

    it.each([
      ["empty", "", /1 to 512 visible ASCII characters; it has 0/],
      ["too long", "k".repeat(513), /it has 513/],
      ["with a space", `${CANARY_KEYS.dashed} x`, /character 44 of 45 is a space/],
      ["with a line break", `${CANARY_KEYS.base64}\n`, /is a line break/],
      ["non-ASCII", `${CANARY_KEYS.hex}é`, /outside visible ASCII/],
    ])("refuses a key that is %s, never quoting it", async (_case, key, message) => {
      const error = await startSandbox({ key }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TypeError);
      expect((error as Error).message).toMatch(message);
      if (key.trim() !== "") expect(holdsKey(printedForms(error), key.trim())).toBe(false);
    });

    it("refuses a key that is not a string", async () => {
      await expect(startSandbox({ key: 42 as never })).rejects.toThrow("startSandbox: key must be a string");
    });
  });

  describe("with a key given as the value of another option", () => {
    it.each(["port", "plainPort", "bookings", "email", "rateLimit", "ipRateLimit", "requestLogLimit"])(
      "refuses %s, describing the value without repeating it",
      async (option) => {
        for (const key of Object.values(CANARY_KEYS)) {
          const error = await startSandbox({ [option]: key } as never).catch((e: unknown) => e);
          expect(error).toBeInstanceOf(Error);
          expect(holdsKey(printedForms(error), key)).toBe(false);
          expect(String(error)).toMatch(/a string of \d+ characters|requests per second/);
        }
      },
    );

    it("refuses it as an account's email the same way", async () => {
      sandbox = await startSandbox();
      const error = (() => {
        try {
          sandbox.accounts.create(CANARY_KEYS.base64);
        } catch (e) {
          return e;
        }
      })();
      expect(String(error)).toContain("got a string of 43 characters");
      expect(holdsKey(printedForms(error), CANARY_KEYS.base64)).toBe(false);
    });
  });

  describe("with an option it does not know", () => {
    it.each([
      [{ rateLimt: 5 }, /startSandbox: unknown option "rateLimt"; the options are port, plainPort/],
      [{ rateLimit: { requestPerSecond: 5 } }, /startSandbox: rateLimit: unknown option "requestPerSecond"/],
      [{ [CANARY_KEYS.dashed]: 1 }, /unknown option \(a name of 43 characters\)/],
    ])("refuses %j before listening, naming it", async (options, message) => {
      await expect(startSandbox(options as never)).rejects.toThrow(message);
    });

    it("refuses one given to accounts.create, naming it", async () => {
      sandbox = await startSandbox();
      expect(() => sandbox?.accounts.create(undefined, { apiAcess: false } as never)).toThrow(
        /accounts\.create: unknown option "apiAcess"/,
      );
    });
  });
});
