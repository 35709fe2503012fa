import { describe, expect, it } from "@jest/globals";
import * as semconv from "@opentelemetry/semantic-conventions";
import { callErrorType, errorType, isFailure, methodAttribute } from "../src/attributes/http-outcome.js";
import * as names from "../src/attributes/names.js";
import { serverOf } from "../src/attributes/server-of.js";
import { Servers } from "../src/attributes/servers.js";
import { urlTemplate } from "../src/attributes/url-template.js";

describe("attribute names", () => {
  it("are the stable semantic conventions' own", () => {
    expect({
      method: names.ATTR_HTTP_REQUEST_METHOD,
      methodOriginal: names.ATTR_HTTP_REQUEST_METHOD_ORIGINAL,
      status: names.ATTR_HTTP_RESPONSE_STATUS_CODE,
      resendCount: names.ATTR_HTTP_REQUEST_RESEND_COUNT,
      address: names.ATTR_SERVER_ADDRESS,
      port: names.ATTR_SERVER_PORT,
      url: names.ATTR_URL_FULL,
      errorType: names.ATTR_ERROR_TYPE,
      duration: names.METRIC_HTTP_CLIENT_REQUEST_DURATION,
    }).toEqual({
      method: semconv.ATTR_HTTP_REQUEST_METHOD,
      methodOriginal: semconv.ATTR_HTTP_REQUEST_METHOD_ORIGINAL,
      status: semconv.ATTR_HTTP_RESPONSE_STATUS_CODE,
      resendCount: semconv.ATTR_HTTP_REQUEST_RESEND_COUNT,
      address: semconv.ATTR_SERVER_ADDRESS,
      port: semconv.ATTR_SERVER_PORT,
      url: semconv.ATTR_URL_FULL,
      errorType: semconv.ATTR_ERROR_TYPE,
      duration: semconv.METRIC_HTTP_CLIENT_REQUEST_DURATION,
    });
  });
});

describe(urlTemplate.name, () => {
  it.each([
    ["/v2/test", "/v2/test"],
    ["/v2/bookings", "/v2/bookings"],
    ["/v2/bookings/BKNG-123", "/v2/bookings/{id}"],
    ["/v2/bookings/BKNG-123/cancel", "/v2/bookings/{id}/cancel"],
    ["/v2/booking-calendars/BKC-1/time-slots", "/v2/booking-calendars/{id}/time-slots"],
    ["/v2/notifications/sms", "/v2/notifications/sms"],
    ["/v2/a/b/c/d/e", "/v2/a/{id}/c/{id}/{id}"],
    ["/other/test", undefined],
    ["/v2", undefined],
  ])("templates %s as %s", (path, template) => {
    expect(urlTemplate(path, "/v2")).toBe(template);
  });
});

describe(serverOf.name, () => {
  it("names the host and port of an origin, 443 by default", () => {
    expect(serverOf("https://api.oncehub.com")).toEqual({ address: "api.oncehub.com", port: 443 });
    expect(serverOf("https://[::1]:8443")).toEqual({ address: "::1", port: 8443 });
    expect(serverOf("https://127.0.0.1:49152")).toEqual({ address: "127.0.0.1", port: 49152 });
  });
});

describe(Servers.name, () => {
  it("parses each origin once and answers the same object after", () => {
    const servers = new Servers();
    const first = servers.of("https://api.oncehub.com");
    expect(servers.of("https://127.0.0.1:8443")).toEqual({ address: "127.0.0.1", port: 8443 });
    expect(servers.of("https://api.oncehub.com")).toBe(first);
  });
});

describe(callErrorType.name, () => {
  it("is the typed error's code, else its name, else _OTHER, and never a message", () => {
    expect(
      callErrorType(Object.assign(new Error("No key for acme in /run/secrets"), { code: "KEY_NOT_FOUND" })),
    ).toBe("KEY_NOT_FOUND");
    expect(callErrorType(new DOMException("This operation was aborted", "AbortError"))).toBe("AbortError");
    expect(callErrorType(new TypeError("boom"))).toBe("TypeError");
    expect(callErrorType("a string")).toBe("_OTHER");
    expect(callErrorType({ code: "not an identifier: it has spaces", name: "" })).toBe("_OTHER");
  });
});

describe("an exchange's outcome", () => {
  it("follows the semantic conventions for a client", () => {
    expect([
      methodAttribute("GET"),
      methodAttribute("PATCH"),
      methodAttribute("get"),
      methodAttribute("PURGE"),
    ]).toEqual(["GET", "PATCH", "_OTHER", "_OTHER"]);
    expect([
      errorType(200, undefined),
      errorType(307, undefined),
      errorType(404, undefined),
      errorType(0, "ECONNRESET"),
      errorType(0, undefined),
    ]).toEqual([undefined, undefined, "404", "ECONNRESET", "_OTHER"]);
    expect([isFailure(0), isFailure(200), isFailure(399), isFailure(400), isFailure(503)]).toEqual([
      true,
      false,
      false,
      true,
      true,
    ]);
  });
});
