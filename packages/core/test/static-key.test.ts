import { describe, expect, it } from "@jest/globals";
import { staticKey } from "../src/index.js";

describe(staticKey.name, () => {
  it("serves its key with the source 'static'", async () => {
    const key = await staticKey("abc-123").getKey();
    expect(key.reveal()).toBe("abc-123");
    expect(key.source).toBe("static");
  });

  it("takes a source name", async () => {
    expect((await staticKey("abc", { source: "test" }).getKey()).source).toBe("test");
  });

  it("validates at once", () => {
    expect(() => staticKey("bad key")).toThrow(expect.objectContaining({ code: "KEY_FORMAT" }));
    expect(() => staticKey("abc", null as unknown as object)).toThrow(
      /staticKey: the options must be an object/,
    );
  });

  it("serves no tenant", async () => {
    await expect(staticKey("abc").getKey({ tenant: "acme" })).rejects.toMatchObject({
      code: "KEY_NOT_FOUND",
    });
  });
});
