import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import {
  describeWebhookContract,
  sandboxClientOptions,
  useSandbox,
  type FrameworkApp,
} from "@oncekey/test-support";
import { harness } from "./harness.js";

describeWebhookContract(harness);

describe("oncehubWebhook", () => {
  const sandbox = useSandbox();
  let running: FrameworkApp;

  beforeAll(async () => {
    running = await harness.start({ client: sandboxClientOptions(sandbox()) });
  });

  afterAll(async () => {
    await running.close();
  });

  describe("when the app parses JSON on its other routes", () => {
    it("keeps the app's parser outside the webhook route", async () => {
      const answer = await running.call("/echo", {
        method: "POST",
        body: JSON.stringify({ hello: "world" }),
        headers: { "content-type": "application/json" },
      });

      expect(answer.json).toEqual({ hello: "world" });
    });
  });
});
