import { join } from "node:path";
import { describeExampleApp } from "@oncekey/test-support";

// The example's webhook handler returns nothing: Fastify answers the delivery with 204.
describeExampleApp({
  framework: "Fastify",
  main: join(__dirname, "..", "dist", "main.js"),
  webhookStatus: 204,
});
