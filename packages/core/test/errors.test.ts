import { describe, expect, it } from "@jest/globals";
import {
  ApiError,
  AuthenticationError,
  ConfigError,
  InsecureTransportError,
  InvalidRequestError,
  InvalidTenantError,
  KeyFormatError,
  KeyNotFoundError,
  KeySourceError,
  NetworkError,
  OnceHubApiError,
  OnceKeyError,
  RateLimitError,
  TimeoutError,
  WebhookSignatureError,
} from "../src/index.js";

const api = { status: 500 };
const instances: [OnceKeyError, string, string][] = [
  [new KeyNotFoundError("m"), "KEY_NOT_FOUND", "KeyNotFoundError"],
  [new KeyFormatError("m"), "KEY_FORMAT", "KeyFormatError"],
  [new KeySourceError("m"), "KEY_SOURCE", "KeySourceError"],
  [new ConfigError("m"), "CONFIG", "ConfigError"],
  [new InvalidTenantError("m"), "INVALID_TENANT", "InvalidTenantError"],
  [new InsecureTransportError("m"), "INSECURE_TRANSPORT", "InsecureTransportError"],
  [new WebhookSignatureError("m", { reason: "too_old" }), "WEBHOOK_SIGNATURE", "WebhookSignatureError"],
  [new AuthenticationError("m", { status: 401 }), "AUTHENTICATION", "AuthenticationError"],
  [new InvalidRequestError("m", { status: 400 }), "INVALID_REQUEST", "InvalidRequestError"],
  [new RateLimitError("m", { status: 429 }), "RATE_LIMIT", "RateLimitError"],
  [new ApiError("m", api), "API_ERROR", "ApiError"],
  [new NetworkError("m"), "NETWORK", "NetworkError"],
  [new TimeoutError("m", { phase: "headers" }), "TIMEOUT", "TimeoutError"],
];

describe(OnceKeyError.name, () => {
  it.each(instances.map(([e, code, name]) => [name, e, code] as const))(
    "%s has its stable code and name",
    (name, error, code) => {
      expect(error.code).toBe(code);
      expect(error.name).toBe(name);
      expect(error).toBeInstanceOf(Error);
      expect(OnceKeyError.is(error)).toBe(true);
    },
  );

  it("is() tells the classes apart and follows the hierarchy", () => {
    const auth = new AuthenticationError("m", { status: 401 });
    expect(AuthenticationError.is(auth)).toBe(true);
    expect(OnceHubApiError.is(auth)).toBe(true);
    expect(InvalidRequestError.is(auth)).toBe(false);
    expect(KeyNotFoundError.is(new KeyFormatError("m"))).toBe(false);
    expect(OnceHubApiError.is(new KeySourceError("m"))).toBe(false);
  });

  it("is() rejects values that are not oncekey errors", () => {
    for (const value of [undefined, null, 0, "KEY_NOT_FOUND", new Error("m"), { code: "KEY_NOT_FOUND" }]) {
      expect(KeyNotFoundError.is(value)).toBe(false);
      expect(OnceKeyError.is(value)).toBe(false);
    }
  });

  it("is() recognises an error from another copy of the package by its Symbol.for brand", () => {
    const foreign = Object.assign(new Error("m"), { code: "KEY_NOT_FOUND" });
    Object.defineProperty(foreign, Symbol.for("oncekey.error"), {
      value: ["KeyNotFoundError", "OnceKeyError"],
    });
    expect(KeyNotFoundError.is(foreign)).toBe(true);
    expect(OnceKeyError.is(foreign)).toBe(true);
    expect(KeyFormatError.is(foreign)).toBe(false);
  });

  it("keeps cause and source", () => {
    const cause = new Error("EACCES");
    const error = new KeySourceError("Could not read the file.", { cause, source: "file:/k" });
    expect(error.cause).toBe(cause);
    expect(error.source).toBe("file:/k");
  });

  it("carries what OnceHub answered", () => {
    const error = new InvalidRequestError("No such booking: 'BKNG-1'", {
      status: 404,
      type: "invalid_request_error",
      param: "id",
      requestId: "req_1",
      tenant: "acme",
    });
    expect(error).toMatchObject({
      status: 404,
      type: "invalid_request_error",
      param: "id",
      requestId: "req_1",
      tenant: "acme",
    });
    expect(new RateLimitError("m", { status: 429, retryAfterMs: 2000 }).retryAfterMs).toBe(2000);
    expect(new AuthenticationError("m", { status: 401, fingerprint: "sha256:abc" }).fingerprint).toBe(
      "sha256:abc",
    );
  });

  it("lists a chain's attempts", () => {
    const inner = new KeyNotFoundError("unset", { source: "env:X" });
    const error = new KeyNotFoundError("none", { attempts: [{ provider: "env", error: inner }] });
    expect(error.attempts).toEqual([{ provider: "env", error: inner }]);
    expect(new KeyNotFoundError("m").attempts).toEqual([]);
  });
});
