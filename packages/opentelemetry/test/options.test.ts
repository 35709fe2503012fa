import { describe, expect, it } from "@jest/globals";
import { CANARY_KEYS, holdsKey, printedForms } from "@oncekey/sandbox";
import { thrownBy } from "@oncekey/test-support";
import { instrumentOnceKey, type InstrumentOnceKeyOptions } from "../src/index.js";

/** The error `instrumentOnceKey(options)` throws. */
const errorFor = (options: unknown) => thrownBy(() => instrumentOnceKey(options as InstrumentOnceKeyOptions));

describe("instrumentOnceKey options", () => {
  it.each([
    [{ tenantAtribute: true }, "tenantAtribute", /Did you mean tenantAttribute\?/],
    [{ meterprovider: {} }, "meterprovider", /Did you mean meterProvider\?/],
    [{ meterProvider: {} }, "meterProvider", /MeterProvider \(an object with getMeter\(\)\), got an object/],
    [{ tracerProvider: "otel" }, "tracerProvider", /TracerProvider .* got a string of 4 characters/],
    [{ tenantAttribute: "Tenant Id" }, "tenantAttribute", /true, false or an attribute name/],
    [{ tenantAttribute: 1 }, "tenantAttribute", /got 1\./],
    [{ fingerprintAttribute: "no" }, "fingerprintAttribute", /true or false, got a string of 2 characters/],
    [{ enabled: 0 }, "enabled", /true or false, got 0\./],
    [{ baseUrl: "http://api.oncehub.com/v2" }, "baseUrl", /https: base URL/],
    [{ baseUrl: "not a url" }, "baseUrl", /https: base URL/],
    [
      { tenantAttribute: "app.tenant_identifier_of_record" },
      "tenantAttribute",
      /parts of at most 20 characters/,
    ],
  ])("refuses %j with a ConfigError naming %s", (options, variable, message) => {
    const error = errorFor(options);
    expect(error).toMatchObject({ code: "CONFIG", variable });
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).toMatch(/^instrumentOnceKey: /);
  });

  it("refuses options that are not an object", () => {
    expect(errorFor("options")).toMatchObject({ code: "CONFIG", variable: "options" });
  });

  it("never repeats a key pasted into an option", () => {
    for (const key of Object.values(CANARY_KEYS)) {
      const errors = [
        errorFor(key),
        errorFor({ baseUrl: key }),
        errorFor({ baseUrl: `https://api.oncehub.com/v2?key=${key}` }),
        errorFor({ baseUrl: `https://${encodeURIComponent(key)}@api.oncehub.com/v2` }),
        errorFor({ tenantAttribute: key }),
        errorFor({ tracerProvider: key }),
        errorFor({ [key]: true }),
      ];
      for (const error of errors) {
        expect(error).toMatchObject({ code: "CONFIG" });
        expect({ key, shown: holdsKey(printedForms(error), key) }).toEqual({ key, shown: false });
      }
    }
  });

  it("takes undefined for any option, as spreading defaults gives", () => {
    const instrumentation = instrumentOnceKey({
      meterProvider: undefined,
      tracerProvider: undefined,
      tenantAttribute: undefined,
      fingerprintAttribute: undefined,
      baseUrl: undefined,
      enabled: false,
    });
    expect(instrumentation.getConfig()).toMatchObject({
      tenantAttribute: false,
      fingerprintAttribute: true,
      baseUrl: "https://api.oncehub.com/v2",
      enabled: false,
    });
  });
});
