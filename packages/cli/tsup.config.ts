import { defineConfig } from "tsup";
import { packageBuild } from "../../tsup.preset.mjs";

export default defineConfig(
  packageBuild({
    entry: { index: "src/index.ts", "bin/oncekey": "src/bin/oncekey.ts" },
    dtsEntry: { index: "src/index.ts" },
  }),
);
