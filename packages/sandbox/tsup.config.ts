import { defineConfig } from "tsup";
import { packageBuild } from "../../tsup.preset.mjs";

export default defineConfig(
  packageBuild({
    // The command is a second entry; tsup keeps its `#!/usr/bin/env node` line and marks the file executable.
    entry: { index: "src/index.ts", "bin/oncekey-sandbox": "src/bin/oncekey-sandbox.ts" },
    dtsEntry: { index: "src/index.ts" },
  }),
);
