import { describe, expect, it } from "@jest/globals";
import type { KeySource, PacingStore } from "@oncekey/core";
import { rejectionOf } from "@oncekey/test-support";
import type { FakeKeyVault } from "@oncekey/sandbox";
import { azureKeyVaultSource } from "../src/index.js";
import { useVaultProviders } from "./vault-providers.js";

describe("Key Vault reads and the fleet's read budget", () => {
  let vault: FakeKeyVault;
  const provider = useVaultProviders((started) => (vault = started));

  it("take every read from the vault's budget in the store given, and give it back when the read ends", async () => {
    const taken: string[] = [];
    const ended: boolean[] = [];
    let started = 0;
    const store: PacingStore = {
      name: "recording",
      take: (budgets) => {
        taken.push(...budgets.map((budget) => budget.name));
        return { granted: true, slackMs: 0 };
      },
      started: () => void started++,
      finished: (_grant, sent) => void ended.push(sent),
    };
    vault.setSecret("budgeted", "key-budgeted");

    const key = await provider({ secretName: "budgeted", pacing: store }).getKey();

    expect(key.reveal()).toBe("key-budgeted");
    // One getSecret: the SDK's challenge round trip happens inside it.
    expect(taken).toEqual([`vault:${new URL(vault.url).host}`]);
    expect(started).toBe(1);
    expect(ended).toEqual([true]);
  });

  it("read nothing while the budget refuses, and fail as a source failure within the time limit", async () => {
    const store: PacingStore = {
      name: "exhausted",
      take: (budgets) => ({ granted: false, budget: budgets[0]?.name ?? "", retryInMs: 60_000 }),
    };
    vault.setSecret("refused", "key-refused");

    const error = await rejectionOf(
      provider({ secretName: "refused", pacing: store, timeoutMs: 200 }).getKey(),
    );

    expect(error).toMatchObject({ code: "KEY_SOURCE", transient: true });
    expect(vault.calls.count({ secret: "refused" })).toBe(0);
  });

  it("is the store OnceHubClient.fromEnvironment built, when configured through azureKeyVaultSource", async () => {
    const store: PacingStore = { name: "configured", take: () => ({ granted: true, slackMs: 0 }) };
    let passed: PacingStore | undefined;
    const spy: KeySource = {
      name: "azure-keyvault",
      fromConfig(config) {
        passed = config.pacing;
        return azureKeyVaultSource.fromConfig(config);
      },
    };
    const keys = spy.fromConfig({
      sources: ["azure-keyvault"],
      baseUrl: "https://api.oncehub.com/v2",
      pacing: store,
      env: { ONCEKEY_KEYVAULT_URL: vault.url, ONCEKEY_KEYVAULT_SECRET: "configured" },
    });
    await keys.close?.();
    expect(passed).toBe(store);
  });

  it("refuses a pacing option that is not a store, naming it", async () => {
    expect(() => provider({ pacing: "redis" as never })).toThrow(
      expect.objectContaining({ code: "CONFIG", variable: "pacing" }),
    );
  });
});
