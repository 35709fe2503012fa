import { describe, expect, it } from "@jest/globals";
import { thrownBy } from "@oncekey/test-support";
import { cached, staticKey } from "../../src/index.js";

describe("cached() of a provider that is already cached", () => {
  const keys = cached(staticKey("on_live_cached_twice_0123456789abcdef"));

  it("returns it unchanged when no option is given", () => {
    expect(cached(keys)).toBe(keys);
    expect(cached(keys, {})).toBe(keys);
    expect(cached(keys, { ttlMs: undefined })).toBe(keys);
  });

  it("refuses options, which would not apply, with a ConfigError that says where to give them", () => {
    const error = thrownBy(() => cached(keys, { maxTenants: 50_000 }));

    expect(error).toMatchObject({ code: "CONFIG" });
    expect((error as Error).message).toMatch(/already cached.*cache: \{ ttlMs \}/);
  });

  it("checks the options first: an unknown or bad one is named as for any provider", () => {
    expect((thrownBy(() => cached(keys, { bogus: true } as never)) as Error).message).toMatch(/bogus/);
    expect((thrownBy(() => cached(keys, { ttlMs: -5 })) as Error).message).toMatch(/ttlMs/);
  });
});
