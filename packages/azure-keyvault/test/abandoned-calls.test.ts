import { describe, expect, it } from "@jest/globals";
import type { FakeKeyVault, FakeKeyVaultFault } from "@oncekey/sandbox";
import { providerCalls, runProviderCalls, trackUnhandledRejections } from "@oncekey/test-support";
import fc from "fast-check";
import { useVaultProviders } from "./vault-providers.js";

// Every public call, with signals already aborted or aborting mid-read, against a vault that answers errors: nothing
// a call starts (a read, a throttle wait, the first read others wait for, a refresh-ahead poll) may end as an
// unhandled rejection. The runs are kept few so the suite stays fast; raise ONCEKEY_PROPERTY_RUNS for a longer search.
const RUNS = Number(process.env.ONCEKEY_PROPERTY_RUNS ?? 40);

// Not "reset": the fake vault's close() then throws from Node's server.close() and leaves the server open (a sandbox
// bug, reported); the SDK sees a reset as any other network failure, which "delay" past timeoutMs covers here.
const faults: fc.Arbitrary<FakeKeyVaultFault> = fc.oneof(
  fc.constant({ kind: "server-error", times: Infinity } as const),
  fc.constant({ kind: "throttle", retryAfterSeconds: null, times: Infinity } as const),

  fc.constant({ kind: "truncated-body", times: Infinity } as const),
  fc.constant({ kind: "delay", delayMs: 200, times: Infinity } as const),
  fc.constant({ kind: "server-error", fraction: 0.5 } as const),
);

describe("calls abandoned through their signal, against a failing vault", () => {
  let vault: FakeKeyVault;
  const provider = useVaultProviders((started) => (vault = started), {
    secretName: "oncehub-{tenant}",
    timeoutMs: 100,
    throttleRetry: { maxRetries: 1, baseDelayMs: 1 },
  });

  it("leave no unhandled rejection from fromAzureKeyVault", async () => {
    vault.setSecret("oncehub-acme", "key-acme-1234");
    const unhandled = trackUnhandledRejections();
    await fc.assert(
      fc.asyncProperty(
        providerCalls([undefined, "acme", "globex", "Acme"]),
        fc.array(faults, { maxLength: 2 }),
        fc.boolean(),
        async (calls, injected, refreshAhead) => {
          for (const fault of injected) vault.faults.inject(fault);
          try {
            await runProviderCalls(provider(refreshAhead ? { refreshAheadMs: 5 } : {}), calls);
          } finally {
            vault.faults.clear();
          }
        },
      ),
      { numRuns: RUNS },
    );
    expect(await unhandled.stop()).toEqual([]);
  });
});
