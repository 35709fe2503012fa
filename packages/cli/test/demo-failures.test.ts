import { existsSync } from "node:fs";
import { request } from "node:http";
import { dirname } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import { startSandbox, type Sandbox } from "@oncekey/sandbox";
import { freePort, rejectionOf } from "@oncekey/test-support";
import { receiveWebhook } from "../src/demo/receive-webhook.js";
import { tellDemo } from "../src/demo/tell-demo.js";

/** Whether something answers HTTP at `url`. */
function answers(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request(url, { method: "POST", agent: false }, (res) => {
      res.resume();
      resolve(true);
    });
    req.on("error", () => resolve(false));
    req.end("{}");
  });
}

describe("the demo when a scene fails", () => {
  let sandbox: Sandbox;
  beforeEach(async () => {
    sandbox = await startSandbox({ rateLimit: 5 });
  });
  afterEach(async () => {
    await sandbox.close();
  });

  it("closes the webhook listener when the delivery fails before reaching it", async () => {
    const elsewhere = `http://127.0.0.1:${await freePort()}/hook`;
    let listener = "";
    const error = await rejectionOf(
      receiveWebhook("whsec-demo", (url) => {
        listener = url;
        // The delivery goes nowhere: a real connection refused, as when the sandbox cannot reach the listener.
        return sandbox.sendWebhook(elsewhere, "booking.scheduled", "whsec-demo");
      }),
    );
    expect(error).toMatchObject({ code: "ECONNREFUSED" });
    expect(listener).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/hook$/);
    expect(await answers(listener)).toBe(false);
  });

  it("cancels the regenerate scene's pending key write once the demo has failed and cleaned up", async () => {
    const lines: string[] = [];
    const error = await rejectionOf(
      tellDemo(sandbox, (text = "") => {
        lines.push(text);
        // OnceHub fails the scene's call at once (no 401 to wait on), before the file gets the regenerated key.
        if (text.includes('Legacy "Regenerate"')) {
          sandbox.faults.inject({ kind: "status", status: 404, path: "/v2/test", times: Infinity });
        }
      }),
    );
    expect(error).toMatchObject({ status: 404 });
    const keyFile = lines.find((line) => line.includes("ONCEKEY_FILE_PATH="))?.split("=")[1] ?? "";
    expect(keyFile).not.toBe("");
    expect(existsSync(dirname(keyFile))).toBe(false);
    // The write was due 300 ms after the scene began; a timer due later fires after it.
    const uncaught: unknown[] = [];
    const onUncaught = (caught: unknown): void => void uncaught.push(caught);
    process.on("uncaughtException", onUncaught);
    try {
      await new Promise((resolve) => setTimeout(resolve, 400));
    } finally {
      process.off("uncaughtException", onUncaught);
    }
    expect(uncaught).toEqual([]);
    expect(existsSync(dirname(keyFile))).toBe(false);
  });
});
