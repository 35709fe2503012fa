import { defineConfig } from "tsup";
import { packageBuild } from "../../tsup.preset.mjs";

export default defineConfig(
  packageBuild({ entry: ["src/index.ts", "src/source.ts", "src/http.ts", "src/browser.ts"] }),
);
