// Run with use-inversify.mjs: prints the version of the inversify that "inversify" loads here, and whether
// @oncekey/inversify's OnceKeyModule extends that copy's ContainerModule (so the package loaded the same copy).
import { readFileSync } from "node:fs";
import { URL } from "node:url";
import { OnceKeyModule } from "@oncekey/inversify";
import { ContainerModule } from "inversify";

let version;
let dir = new URL(".", import.meta.resolve("inversify"));
for (let depth = 0; version === undefined && depth < 10; depth++, dir = new URL("..", dir)) {
  try {
    const pkg = JSON.parse(readFileSync(new URL("package.json", dir), "utf8"));
    if (pkg.name === "inversify") version = pkg.version;
  } catch {
    // No package.json at this level.
  }
}
console.log(JSON.stringify({ version, sameCopy: Object.getPrototypeOf(OnceKeyModule) === ContainerModule }));
