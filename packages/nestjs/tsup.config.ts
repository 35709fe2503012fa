import { defineConfig } from "tsup";
import { packageBuild } from "../../tsup.preset.mjs";

export default defineConfig(packageBuild({ entry: ["src/index.ts", "src/terminus.ts"] }));
