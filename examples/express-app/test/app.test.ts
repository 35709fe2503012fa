import { join } from "node:path";
import { describeExampleApp } from "@oncekey/test-support";

describeExampleApp({ framework: "Express", main: join(__dirname, "..", "dist", "main.js") });
