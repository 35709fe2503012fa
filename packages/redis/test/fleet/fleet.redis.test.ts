import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { startSandbox, type Sandbox } from "@oncekey/sandbox";
import { busiestWindow } from "../support/busiest-window.js";
import { type RedisServer, startRedisServer } from "../support/redis-server.js";

// OnceHub's per-IP limit scaled down (200 per 5 minutes -> 60 per 10 s); the per-account one is OnceHub's own.
const EGRESS = { requests: 60, windowMs: 10_000 };
const INSTANCES = 4;
const TENANTS = 8;
const WORKER = join(__dirname, "fleet-worker.mjs");

interface WorkerReport {
  readonly ok: number;
  readonly failed: string[];
  readonly events: { type: string; reason?: string; instances?: number }[];
}

let redis: RedisServer;
let runs = 0;

beforeAll(async () => {
  if (!existsSync(join(__dirname, "../../dist/index.js"))) {
    throw new Error("The fleet's processes load the built package: run `pnpm build` first.");
  }
  redis = await startRedisServer();
});

afterAll(async () => {
  await redis?.stop();
});

/**
 * Runs 4 instances x 8 tenants (the same 8 tenants behind a load balancer) for `runMs` against a fresh sandbox
 * enforcing both limits: OnceHub's 5 per second per account and the per-IP one scaled down.
 */
async function runFleet(
  options: { readonly redis: boolean; readonly runMs: number },
  during?: (startAt: number) => Promise<void>,
): Promise<{ sandbox: Sandbox; reports: WorkerReport[] }> {
  const sandbox = await startSandbox({
    rateLimit: { requestsPerSecond: 5, toleranceMs: 190 },
    ipRateLimit: EGRESS,
  });
  const keys: Record<string, string> = {};
  for (let i = 0; i < TENANTS; i++) keys[`t${i}`] = sandbox.accounts.create(`t${i}@example.com`).key;
  // Each instance loads for a while (longer on a loaded machine); they start and end together.
  const startAt = Date.now() + 3_000;
  const config = {
    baseUrl: sandbox.baseUrl,
    ca: sandbox.ca,
    keys,
    egress: EGRESS,
    runMs: options.runMs,
    startAt,
    prefix: `fleet${runs++}:{pacing}:`,
    ...(options.redis ? { redisUrl: redis.url } : {}),
  };
  try {
    const workers = Array.from({ length: INSTANCES }, () => runWorker(JSON.stringify(config)));
    await during?.(startAt);
    return { sandbox, reports: await Promise.all(workers) };
  } finally {
    await sandbox.close();
  }
}

function runWorker(config: string): Promise<WorkerReport> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [WORKER, config], { timeout: 120_000 }, (error, stdout, stderr) => {
      if (error !== null) reject(new Error(`a fleet instance failed: ${String(error)}\n${stderr}`));
      else resolve(JSON.parse(stdout.trim().split("\n").at(-1) as string) as WorkerReport);
    });
  });
}

function summary(name: string, sandbox: Sandbox, reports: WorkerReport[], runMs: number): number {
  const ok = reports.reduce((sum, report) => sum + report.ok, 0);
  const budget = (EGRESS.requests * runMs) / EGRESS.windowMs;
  process.stdout.write(
    `${name}: ${ok} calls in ${runMs / 1000} s = ${((ok / budget) * 100).toFixed(1)} % of the per-IP budget ` +
      `(${budget}); ${sandbox.rateLimited.ip} per-IP 429s, ${sandbox.rateLimited.account} per-account 429s; ` +
      `busiest window ${busiestWindow(sandbox, EGRESS.windowMs)}; failed calls ${reports.flatMap((r) => r.failed).length}; ` +
      `events ${JSON.stringify(reports.map((r) => r.events.map((e) => `${e.type}:${e.reason ?? ""}`)))}\n`,
  );
  return ok;
}

describe("4 processes x 8 tenants against both of OnceHub's limits", () => {
  describe("with Redis", () => {
    it("gets no 429 and uses the per-IP budget to within 10 %", async () => {
      const runMs = 20_000;
      const { sandbox, reports } = await runFleet({ redis: true, runMs });
      const ok = summary("4 processes, Redis", sandbox, reports, runMs);
      expect(reports.flatMap((report) => report.failed)).toEqual([]);
      expect(reports.flatMap((report) => report.events)).toEqual([]);
      expect(sandbox.rateLimited).toEqual({ account: 0, ip: 0 });
      const budget = (EGRESS.requests * runMs) / EGRESS.windowMs;
      expect(Math.abs(ok - budget)).toBeLessThanOrEqual(budget * 0.1);
    }, 90_000);
  });

  describe("with in-process pacing only (the control)", () => {
    it("sends four times the per-IP budget and meets 429s", async () => {
      const runMs = 5_000;
      const { sandbox, reports } = await runFleet({ redis: false, runMs });
      summary("4 processes, in-process only", sandbox, reports, runMs);
      expect(sandbox.rateLimited.ip).toBeGreaterThan(EGRESS.requests);
    }, 90_000);
  });

  describe("when Redis stops for 10 s in the middle of the run", () => {
    it("fails no call, reports the fallback and the return, and keeps 429s within the share's bound", async () => {
      const runMs = 30_000;
      const { sandbox, reports } = await runFleet({ redis: true, runMs }, async (startAt) => {
        await new Promise((resolve) => setTimeout(resolve, startAt + 10_000 - Date.now()));
        await redis.stop();
        await new Promise((resolve) => setTimeout(resolve, 10_000));
        await redis.start();
      });
      summary("4 processes, Redis down 10 s", sandbox, reports, runMs);
      expect(reports.flatMap((report) => report.failed)).toEqual([]);
      for (const report of reports) {
        const types = report.events.map((event) => event.type);
        expect(types).toContain("pacing:fallback");
        expect(types.at(-1)).toBe("pacing:recovered");
        // The fallback Redis's stop caused (a loaded machine may add one for a stalled take before it).
        const stopped = report.events.find((e) => e.type === "pacing:fallback" && e.reason !== "TIMEOUT");
        expect(stopped).toMatchObject({
          type: "pacing:fallback",
          instances: INSTANCES,
        });
      }
      // Each instance's share is 60 / 4 = 15 per window, its own requests before the failure included; only an
      // uneven split before it lets the fleet exceed the limit, by at most (instances - 1) shares in the window.
      const bound = EGRESS.requests - EGRESS.requests / INSTANCES;
      expect(sandbox.rateLimited.ip).toBeLessThanOrEqual(bound);
    }, 120_000);
  });
});
