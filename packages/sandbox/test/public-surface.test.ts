import { describe, expect, it } from "@jest/globals";
import * as sandboxPackage from "../src/index.js";
import type { FakeKeyVault, Sandbox, SendWebhookOptions } from "../src/index.js";

// What users reach through the public names, though the types are not exported by name: if a refactor cut one
// of these paths, `typecheck` fails here.
type LoggedRequest = ReturnType<Sandbox["requests"]["all"]>[number];
type InjectedFault = ReturnType<Sandbox["faults"]["inject"]>;
type CreatedAccount = ReturnType<Sandbox["accounts"]["create"]>;
type VaultCall = ReturnType<FakeKeyVault["calls"]["all"]>[number];
type Delivery = Awaited<ReturnType<Sandbox["sendWebhook"]>>;

describe("the package's public surface", () => {
  it("exports the values users write, and nothing else", () => {
    expect(Object.keys(sandboxPackage).sort()).toEqual([
      "CANARY_KEYS",
      "createTlsMaterial",
      "createWebhookSignature",
      "holdsKey",
      "keyFingerprint",
      "printedForms",
      "runSandboxCommand",
      "sendWebhook",
      "startFakeKeyVault",
      "startSandbox",
    ]);
  });

  it("still lets users name the shapes it hands out", () => {
    const entry: Pick<LoggedRequest, "status" | "limitedBy"> = { status: 429, limitedBy: "ip" };
    const fault: Pick<InjectedFault, "hits"> = { hits: 0 };
    const account: Pick<CreatedAccount, "key"> = { key: "k" };
    const call: Pick<VaultCall, "throttled"> = { throttled: false };
    const delivery: Pick<Delivery, "status"> = { status: 200 };
    const options: SendWebhookOptions = { timeoutMs: 1_000 };
    expect([entry, fault, account, call, delivery, options]).toHaveLength(6);
  });
});
