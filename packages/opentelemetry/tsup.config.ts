import { readFileSync } from "node:fs";
import { defineConfig } from "tsup";
import { packageBuild } from "../../tsup.preset.mjs";

const { version } = JSON.parse(readFileSync("package.json", "utf8")) as { version: string };

// The instrumentation scope's version comes from the bundle, not from package.json read at run time.
export default defineConfig({
  ...packageBuild(),
  define: { __ONCEKEY_OPENTELEMETRY_VERSION__: JSON.stringify(version) },
});
