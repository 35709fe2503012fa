import { readFileSync } from "node:fs";
import { defineConfig } from "tsup";
import { packageBuild } from "../../tsup.preset.mjs";

const { version } = JSON.parse(readFileSync("package.json", "utf8")) as { version: string };

export default defineConfig({
  // The command is an entry of its own; only the library entry gets types.
  ...packageBuild({
    entry: { index: "src/index.ts", "bin/oncekey": "src/bin/oncekey.ts" },
    dtsEntry: { index: "src/index.ts" },
  }),
  // `oncekey --version` answers from the bundle, without reading package.json at start-up.
  define: { __ONCEKEY_CLI_VERSION__: JSON.stringify(version) },
});
