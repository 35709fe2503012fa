import { describe, expect, it } from "@jest/globals";
import { ApiKey, cached, type KeyProvider } from "../../src/index.js";

describe("cached() after close()", () => {
  it("starts no watch when it is read after it was closed, so nothing is left running", async () => {
    let watching = 0;
    const source: KeyProvider = {
      name: "watched",
      getKey: async () => ApiKey.from("on_live_after_close_0123456789abcdef"),
      watch: () => {
        watching++;
        return () => void watching--;
      },
    };
    const keys = cached(source);
    await keys.close?.();

    await keys.getKey();

    expect(watching).toBe(0);
  });
});
