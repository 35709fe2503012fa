import { defineConfig } from "tsup";

export default defineConfig({
  // The command is a second entry; tsup keeps its `#!/usr/bin/env node` line and marks the file executable.
  entry: { index: "src/index.ts", "bin/oncekey-sandbox": "src/bin/oncekey-sandbox.ts" },
  format: ["esm", "cjs"],
  dts: { entry: { index: "src/index.ts" } },
  clean: true,
  sourcemap: true,
  target: "node20",
});
