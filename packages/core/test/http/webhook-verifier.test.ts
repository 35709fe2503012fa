import { describe, expect, it } from "@jest/globals";
import { rejectionOf, thrownBy } from "@oncekey/test-support";
import { signWebhookPayload } from "../../src/webhook/sign-webhook-payload.js";
import { webhookVerifier } from "../../src/http/webhook-verifier.js";

const body = JSON.stringify({
  id: "EVNT-1",
  object: "event",
  creation_time: "2026-12-04T10:00:00Z",
  type: "booking.scheduled",
  api_version: "v2",
  data: {},
});
const signed = (secret: string, timestamp?: number) => ({
  headers: {
    "oncehub-signature": signWebhookPayload(body, secret, timestamp === undefined ? {} : { timestamp }),
  },
});

describe(webhookVerifier.name, () => {
  it("returns the event of a delivery signed with the secret", async () => {
    const verify = webhookVerifier({ secret: "s3cret" }, "test");

    await expect(verify(signed("s3cret"), Buffer.from(body))).resolves.toMatchObject({ id: "EVNT-1" });
  });

  it("looks up a secret per request, sync or async", async () => {
    const secrets: Record<string, string> = { a: "secret-a", b: "secret-b" };
    const sync = webhookVerifier<{ headers: Record<string, string>; tenant: string }>(
      { secret: (request) => secrets[request.tenant] ?? "" },
      "test",
    );
    const async = webhookVerifier<{ headers: Record<string, string>; tenant: string }>(
      { secret: async (request) => secrets[request.tenant] ?? "" },
      "test",
    );

    await expect(sync({ ...signed("secret-a"), tenant: "a" }, body)).resolves.toMatchObject({ id: "EVNT-1" });
    expect(await rejectionOf(async({ ...signed("secret-a"), tenant: "b" }, body))).toMatchObject({
      reason: "bad_signature",
    });
    expect(await rejectionOf(async({ ...signed("secret-a"), tenant: "c" }, body))).toMatchObject({
      reason: "missing_secret",
    });
  });

  it("refuses a delivery without the header, or with two, before looking up the secret", async () => {
    let lookups = 0;
    const verify = webhookVerifier({ secret: () => String(++lookups) }, "test");

    expect(await rejectionOf(verify({ headers: {} }, body))).toMatchObject({ reason: "malformed_header" });
    expect(
      await rejectionOf(verify({ headers: { "oncehub-signature": ["t=1,s=0", "t=1,s=0"] } }, body)),
    ).toMatchObject({
      reason: "malformed_header",
      message: expect.stringContaining("2 Oncehub-Signature headers"),
    });
    expect(lookups).toBe(0);
  });

  it("refuses a delivery older than the tolerance", async () => {
    const verify = webhookVerifier({ secret: "s3cret", toleranceSeconds: 60 }, "test");
    const old = Math.floor(Date.now() / 1000) - 120;

    expect(await rejectionOf(verify(signed("s3cret", old), body))).toMatchObject({ reason: "too_old" });
  });

  it.each([
    ["an empty secret", { secret: "" }, "secret"],
    ["a secret that is a number", { secret: 42 }, "secret"],
    ["a negative tolerance", { secret: "s", toleranceSeconds: -1 }, "toleranceSeconds"],
    ["a tolerance that is a string", { secret: "s", toleranceSeconds: "300" }, "toleranceSeconds"],
  ])("refuses %s with a ConfigError naming it", (_name, options, variable) => {
    expect(thrownBy(() => webhookVerifier(options as never, "test"))).toMatchObject({
      code: "CONFIG",
      variable,
    });
  });
});
