import { describe, expect, it } from "@jest/globals";
import { ConfigError } from "../../src/errors/config-error.js";
import { InsecureTransportError } from "../../src/errors/insecure-transport-error.js";
import { InvalidTenantError } from "../../src/errors/invalid-tenant-error.js";
import { KeyFormatError } from "../../src/errors/key-format-error.js";
import { KeyNotFoundError } from "../../src/errors/key-not-found-error.js";
import { KeySourceError } from "../../src/errors/key-source-error.js";
import { NetworkError } from "../../src/errors/network-error.js";
import {
  ApiError,
  AuthenticationError,
  InvalidRequestError,
  OnceHubApiError,
  RateLimitError,
} from "../../src/errors/once-hub-api-error.js";
import { OnceKeyError } from "../../src/errors/once-key-error.js";
import { TimeoutError } from "../../src/errors/timeout-error.js";
import { WebhookSignatureError } from "../../src/errors/webhook-signature-error.js";
import { httpErrorAnswer } from "../../src/http/http-error-answer.js";

/** A message that names what only operators should see. */
const INTERNAL = "read /run/secrets/oncehub/acme (file:/run/secrets/oncehub/{tenant}, sha256:0123456789ab)";

describe(httpErrorAnswer.name, () => {
  describe("when the error is the caller's", () => {
    const cases: [name: string, error: OnceKeyError, status: number][] = [
      ["an invalid tenant id", new InvalidTenantError('Invalid tenant id "../x".'), 400],
      ["OnceHub's 400", new InvalidRequestError("bad limit", { status: 400 }), 400],
      ["OnceHub's 404", new InvalidRequestError("No such booking", { status: 404 }), 404],
      ["OnceHub's 409", new InvalidRequestError("name taken", { status: 409 }), 409],
      ["OnceHub's 422", new InvalidRequestError("paid booking", { status: 422 }), 422],
      ["OnceHub's 402", new InvalidRequestError("no seat", { status: 402 }), 422],
      ["another OnceHub 4xx", new InvalidRequestError("teapot", { status: 418 }), 400],
    ];

    it.each(cases)("answers %s with its status and the library's message", (_name, error, status) => {
      expect(httpErrorAnswer(error)).toEqual({
        status,
        headers: {},
        body: { error: { code: error.code, message: error.message } },
        fault: "caller",
      });
    });

    it("answers a tenant without a key with 404 when the request named the tenant, not saying where the source looked", () => {
      const error = new KeyNotFoundError('No OnceHub API key file for tenant "ghost" at /srv/keys/ghost.');

      expect(httpErrorAnswer(error, { tenant: "ghost" })).toEqual({
        status: 404,
        headers: {},
        body: {
          error: {
            code: "KEY_NOT_FOUND",
            message: 'No OnceHub API key is configured for the tenant "ghost".',
          },
        },
        fault: "caller",
      });
    });

    it("describes a tenant id long enough to be a key instead of repeating it", () => {
      const tenant = "t".repeat(60);

      const answer = httpErrorAnswer(new KeyNotFoundError("none"), { tenant });

      expect(answer?.body.error.message).not.toContain(tenant);
      expect(answer?.body.error.message).toContain("a tenant id of 60 characters");
    });

    it.each(["bad_signature", "too_old", "too_new", "malformed_header", "malformed_body"] as const)(
      "answers a webhook refused as %s with 400 and the reason",
      (reason) => {
        const error = new WebhookSignatureError("refused", { reason });

        expect(httpErrorAnswer(error)).toEqual({
          status: 400,
          headers: {},
          body: { error: { code: "WEBHOOK_SIGNATURE", reason, message: "refused" } },
          fault: "caller",
        });
      },
    );
  });

  describe("when OnceHub or the way there failed", () => {
    const cases: [name: string, error: OnceKeyError, status: number][] = [
      ["a timeout", new TimeoutError("no headers", { phase: "headers" }), 504],
      ["a network failure", new NetworkError("ECONNREFUSED"), 502],
      ["OnceHub's 5xx", new ApiError("OnceHub answered 503", { status: 503 }), 502],
      ["an answer of no known type", new OnceHubApiError("odd", { status: 599 }), 502],
    ];

    it.each(cases)("answers %s with %s and the library's message", (_name, error, status) => {
      expect(httpErrorAnswer(error)).toEqual({
        status,
        headers: {},
        body: { error: { code: error.code, message: error.message } },
        fault: "upstream",
      });
    });

    it("answers a rate limit with 503 and OnceHub's wait, in whole seconds rounded up", () => {
      const error = new RateLimitError("limited", { status: 429, retryAfterMs: 2_100 });

      expect(httpErrorAnswer(error)).toMatchObject({
        status: 503,
        headers: { "retry-after": "3" },
        fault: "upstream",
      });
    });

    it("answers a rate limit without a wait from OnceHub with Retry-After: 1", () => {
      const error = new RateLimitError("limited", { status: 429 });

      expect(httpErrorAnswer(error)?.headers).toEqual({ "retry-after": "1" });
    });
  });

  describe("when the server itself is at fault", () => {
    const cases: [name: string, error: OnceKeyError, status: number][] = [
      ["a configuration error", new ConfigError(INTERNAL, { variable: "ONCEKEY_FILE_PATH" }), 500],
      ["a key source failure", new KeySourceError(INTERNAL), 500],
      ["a key that cannot be a key", new KeyFormatError(INTERNAL), 500],
      ["an insecure base URL", new InsecureTransportError(INTERNAL), 500],
      ["its own missing key", new KeyNotFoundError(INTERNAL), 500],
      ["no webhook secret", new WebhookSignatureError(INTERNAL, { reason: "missing_secret" }), 500],
      ["an oncekey error of no known class", new OnceKeyError(INTERNAL), 500],
      ["a key OnceHub refused", new AuthenticationError(INTERNAL, { status: 401 }), 502],
    ];

    it.each(cases)("answers %s with %s and a fixed message", (_name, error, status) => {
      const answer = httpErrorAnswer(error);

      expect(answer).toEqual({
        status,
        headers: {},
        body: {
          error: {
            code: error.code,
            message: expect.stringContaining("The details are in the server's log."),
          },
        },
        fault: "server",
      });
      expect(JSON.stringify(answer)).not.toContain("/run/secrets");
      expect(JSON.stringify(answer)).not.toContain("sha256:");
    });
  });

  describe("when the error is not oncekey's", () => {
    it.each([
      ["an Error", new Error("boom")],
      ["an object with a code", { code: "INVALID_TENANT", message: "looks like one" }],
      ["a string", "boom"],
      ["undefined", undefined],
    ])("leaves %s alone", (_name, value) => {
      expect(httpErrorAnswer(value)).toBeUndefined();
    });
  });
});
