import { chmod, mkdir, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "@jest/globals";
import { providerCalls, runProviderCalls, trackUnhandledRejections, useTempDir } from "@oncekey/test-support";
import fc from "fast-check";
import { fromFile, type FromFileOptions } from "../src/index.js";

// Every public call, with signals already aborted or aborting mid-read, against key files that fail: nothing a call
// starts (a read, a settle wait, a watch, the rewrite grace) may end as an unhandled rejection. The runs are kept few
// so the suite stays fast; raise ONCEKEY_PROPERTY_RUNS for a longer search.
const RUNS = Number(process.env.ONCEKEY_PROPERTY_RUNS ?? 60);

describe("calls abandoned through their signal, against failing key files", () => {
  const dir = useTempDir();

  it("leave no unhandled rejection from fromFile", async () => {
    const tenants = join(dir.path, "tenants");
    await mkdir(tenants);
    await mkdir(join(tenants, "directory"));
    await symlink(join(tenants, "loop"), join(tenants, "loop"));
    await symlink("/etc/hostname", join(tenants, "outside"));
    await writeFile(join(tenants, "empty"), "");
    await writeFile(join(tenants, "shared"), "ohk_shared_key_123456");
    await chmod(join(tenants, "shared"), 0o644);
    await writeFile(join(tenants, "half"), "ohk_half\nwritten");
    const options: FromFileOptions[] = [
      { path: join(tenants, "{tenant}"), permissions: "refuse", settleMs: 5, debounceMs: 1 },
      { path: join(tenants, "{tenant}"), watchMode: "poll", pollIntervalMs: 5, rewriteGraceMs: 20 },
      { path: join(dir.path, "missing", "key"), settleMs: 2 },
      { path: join(tenants, "loop"), watch: false },
    ];
    const unhandled = trackUnhandledRejections();
    await fc.assert(
      fc.asyncProperty(
        providerCalls([
          undefined,
          "missing",
          "directory",
          "loop",
          "outside",
          "empty",
          "shared",
          "half",
          "../x",
        ]),
        fc.constantFrom(...options),
        (calls, given) => runProviderCalls(fromFile(given), calls),
      ),
      { numRuns: RUNS },
    );
    expect(await unhandled.stop()).toEqual([]);
  });
});
