import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import {
  sendWebhook,
  startFakeKeyVault,
  startSandbox,
  type FakeKeyVault,
  type FaultSpec,
  type Sandbox,
} from "../src/index.js";

// A misspelt field must be an error that names it, never a default silently used instead.
describe("a misspelt option or field", () => {
  let sandbox: Sandbox;
  let vault: FakeKeyVault;
  beforeAll(async () => {
    [sandbox, vault] = await Promise.all([startSandbox(), startFakeKeyVault()]);
  });
  afterAll(async () => {
    await Promise.all([sandbox?.close(), vault?.close()]);
  });

  it("in a sandbox fault is a RangeError naming it and what the kind takes", () => {
    const spec = { kind: "status", status: 503, retryAftr: 1 } as FaultSpec;
    expect(() => sandbox.faults.inject(spec)).toThrow(
      'Invalid sandbox fault ("status"): unknown field "retryAftr"; this kind takes kind, times, fraction, ' +
        "method, path, status, retryAfter, body.",
    );
    expect(sandbox.faults.pending).toBe(0);
  });

  it("in a fake Key Vault fault is a RangeError naming it", () => {
    expect(() => vault.faults.inject({ kind: "throttle", retryAfter: 1 } as never)).toThrow(
      /Invalid fake Key Vault fault \("throttle"\): unknown field "retryAfter"; .*secret, operation, retryAfterSeconds\./,
    );
  });

  it("in sendWebhook's options or event is a TypeError naming it, before anything is sent", async () => {
    await expect(
      sendWebhook("http://127.0.0.1:9/", "booking.scheduled", "s", { timeout: 5 } as never),
    ).rejects.toThrow(/sendWebhook: unknown option "timeout"; the options are ca, timestamp, signature/);
    await expect(
      sandbox.sendWebhook("http://127.0.0.1:9/", { type: "booking.scheduled", payload: {} } as never, "s"),
    ).rejects.toThrow(/sendWebhook: event: unknown option "payload"; the options are type, data, id/);
  });

  it("in setSecret's options is a TypeError naming it", () => {
    expect(() => vault.setSecret("named", "v", { enable: false } as never)).toThrow(
      /setSecret: unknown option "enable"; the options are enabled, expiresOn/,
    );
  });
});
