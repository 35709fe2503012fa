import { mkdir, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "@jest/globals";
import { providerCalls, runProviderCalls, trackUnhandledRejections, useTempDir } from "@oncekey/test-support";
import fc from "fast-check";
import { fromDotenv, fromEnv } from "../src/index.js";

// Every public call, with signals already aborted or aborting mid-read, against sources that fail: nothing a call
// starts may end as an unhandled rejection (the default of Node exits the process on one). The runs are kept few
// per source so the suite stays fast; raise ONCEKEY_PROPERTY_RUNS for a longer search.
const RUNS = Number(process.env.ONCEKEY_PROPERTY_RUNS ?? 60);
const tenants = [undefined, "acme", "Acme", "globex"];

describe("calls abandoned through their signal, against failing sources", () => {
  const dir = useTempDir();

  it("leave no unhandled rejection from fromEnv", async () => {
    const unhandled = trackUnhandledRejections();
    await fc.assert(
      fc.asyncProperty(providerCalls(tenants), async (calls) => {
        const env = { ONCEHUB_API_KEY: "", ONCEHUB_API_KEY_GLOBEX: "two\nlines" };
        await runProviderCalls(fromEnv({ variable: "ONCEHUB_API_KEY_{tenant}", env }), calls);
        await runProviderCalls(fromEnv({ env }), calls);
      }),
      { numRuns: RUNS },
    );
    expect(await unhandled.stop()).toEqual([]);
  });

  it("leave no unhandled rejection from fromDotenv over missing, looping, unreadable and broken files", async () => {
    await mkdir(join(dir.path, "directory.env"));
    await symlink(join(dir.path, "loop.env"), join(dir.path, "loop.env"));
    await writeFile(join(dir.path, "broken.env"), "ONCEHUB_API_KEY=\nONCEHUB_API_KEY_ACME=a b\n", {
      mode: 0o644,
    });
    const paths = ["missing.env", "directory.env", "loop.env", "broken.env"].map((name) =>
      join(dir.path, name),
    );
    const unhandled = trackUnhandledRejections();
    await fc.assert(
      fc.asyncProperty(providerCalls(tenants), fc.constantFrom(...paths), async (calls, path) => {
        await runProviderCalls(
          fromDotenv({ path: [path, join(dir.path, "broken.env")], variable: "ONCEHUB_API_KEY_{tenant}" }),
          calls,
        );
        await runProviderCalls(fromDotenv({ path, permissions: "refuse", debounceMs: 1 }), calls);
      }),
      { numRuns: RUNS },
    );
    expect(await unhandled.stop()).toEqual([]);
  });
});
