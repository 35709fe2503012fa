import { join } from "node:path";
import { expect, it } from "@jest/globals";
import { describeExampleApp } from "@oncekey/test-support";

describeExampleApp({
  framework: "NestJS",
  main: join(__dirname, "..", "dist", "main.js"),
  env: { ONCEHUB_HEALTH_TENANT: "acme" },
  whileRunning: (running) => {
    it("reports OnceHub's health through terminus", async () => {
      expect(await running().get("/health")).toMatchObject({
        status: 200,
        body: { status: "ok", info: { oncehub: { status: "up", account: "acme@example.com" } } },
      });
    });
  },
});
