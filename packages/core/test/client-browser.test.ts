import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "@jest/globals";

const root = join(__dirname, "..");

describe("@oncekey/core in a browser bundle", () => {
  it("fails at import with a clear error", async () => {
    await expect(import("../src/browser.js")).rejects.toThrow(
      "@oncekey/core is server-side only: the API key must never reach a browser",
    );
  });

  it("is what the browser export condition resolves to, before import and require", () => {
    const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
      exports: Record<string, Record<string, unknown>>;
      sideEffects: string[];
    };
    const main = manifest.exports["."] as Record<string, unknown>;
    expect(Object.keys(main)[0]).toBe("browser");
    expect(main.browser).toEqual({ import: "./dist/browser.js", require: "./dist/browser.cjs" });
    // Bundlers must keep the module that throws, so it is declared as having side effects.
    expect(manifest.sideEffects).toEqual(expect.arrayContaining(["./dist/browser.js", "./dist/browser.cjs"]));
    expect(readFileSync(join(root, "tsup.config.ts"), "utf8")).toContain('"src/browser.ts"');
  });
});
