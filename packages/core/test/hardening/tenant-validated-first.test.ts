import { describe, expect, it } from "@jest/globals";
import { rejectionOf } from "@oncekey/test-support";
import { ApiKey, cached, type KeyProvider, type KeyRequest } from "../../src/index.js";

const single: KeyProvider = {
  name: "single",
  getKey: async (request) =>
    ApiKey.from(`sk-${request?.tenant ?? "none"}-0123456789abcdef`, { source: "single" }),
};

describe("a tenant that is not a string", () => {
  it.each([null, 0, "", false])(
    "is refused (%p) even when the key of no tenant is cached",
    async (tenant) => {
      const keys = cached(single);
      await keys.getKey();
      const error = await rejectionOf(keys.getKey({ tenant } as unknown as KeyRequest));
      expect(error).toMatchObject({ code: "INVALID_TENANT" });
    },
  );

  it("does not drop the key of no tenant when invalidated with a null tenant", async () => {
    const keys = cached(single);
    const key = await keys.getKey();
    keys.invalidate?.(key, { tenant: null } as unknown as KeyRequest);
    expect(await keys.getKey()).toBe(key);
  });
});
