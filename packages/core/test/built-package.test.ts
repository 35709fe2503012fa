import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "@jest/globals";

const dist = join(__dirname, "..", "dist");

/** What a script prints when run by Node against the built package, as a user's app would load it. */
function run(script: string, module: "cjs" | "esm"): string {
  const args =
    module === "esm" ? ["--input-type=module", "-e", script] : ["--input-type=commonjs", "-e", script];
  return execFileSync(process.execPath, args, { encoding: "utf8", cwd: dist }).trim();
}

describe("the built package", () => {
  it.each(["cjs", "esm"] as const)("prints its errors under their own class names (%s)", (module) => {
    const load =
      module === "esm"
        ? `const core = await import("./index.js"); const source = await import("./source.js");`
        : `const core = require("./index.cjs"); const source = require("./source.cjs");`;
    const printed = run(
      `${load}
       const { inspect } = require("node:util");
       const names = [new core.ConfigError("x"), new core.KeyNotFoundError("x"), new core.KeySourceError("x"),
         new core.InvalidTenantError("x"), new core.AuthenticationError("x", { status: 401 })]
         .map((error) => inspect(error).split(":")[0]);
       let sameClass;
       try { source.validateTenant("../x"); } catch (error) { sameClass = error instanceof core.InvalidTenantError; }
       console.log(JSON.stringify({ names, sameClass }));`.replace(
        'const { inspect } = require("node:util");',
        module === "esm"
          ? 'const { inspect } = await import("node:util");'
          : 'const { inspect } = require("node:util");',
      ),
      module,
    );
    expect(JSON.parse(printed)).toEqual({
      names: [
        "ConfigError",
        "KeyNotFoundError",
        "KeySourceError",
        "InvalidTenantError",
        "AuthenticationError",
      ],
      sameClass: true,
    });
  });
});
