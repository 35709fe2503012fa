import { describe, expect, it } from "@jest/globals";
import { runSoak } from "../src/soak/run-soak.js";
import { MAX_HEAP_GROWTH, soakProblems } from "../src/soak/soak-report.js";
import { soakSummary } from "../src/soak/soak-summary.js";

// The soak `pnpm soak` runs with 200,000 calls, scaled down: the same code, every fault kind, three rotations (one
// every 1,250 calls, and at least 5 s apart, so further apart than a call lives).
describe("the soak, scaled down to 5,000 calls", () => {
  it("keeps every promise: typed failures only, no unhandled rejection, no leak, rotation without downtime", async () => {
    const report = await runSoak({ requests: 5_000, rotateEvery: 1_250 });
    process.stdout.write(`${soakSummary(report, new Date())}\n`);
    expect(report.calls.total).toBe(5_000);
    expect(report.unhandledRejections).toBe(0);
    expect(report.untypedFailures).toBe(0);
    expect(report.failuresByCode.AUTHENTICATION).toBeUndefined();
    // Every redirect to another origin is refused, and fails its call; the other faults are retried.
    expect(report.failuresByCode.INSECURE_TRANSPORT).toBe(report.faults.redirect);
    expect(report.rotations).toBe(3);
    expect(report.resources.leftBehind).toEqual({});
    expect(report.heap.growth).toBeLessThan(MAX_HEAP_GROWTH);
    expect(report.telemetry.requestsCounted).toBe(report.exchanges);
    expect(Object.values(report.faults).every((hits) => hits > 0)).toBe(true);
    expect(soakProblems(report, 3)).toEqual([]);
  }, 120_000);
});
