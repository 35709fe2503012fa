import { setTimeout as sleep } from "node:timers/promises";
import { OnceHubClient, OnceKeyError } from "@oncekey/core";
import { startSandbox } from "@oncekey/sandbox";
import { activeResources, leftBehind, type ResourceCounts } from "./active-resources.js";
import { heapAfterGc } from "./collect-garbage.js";
import { injectFaultMix } from "./fault-mix.js";
import { rotatingKeySource } from "./rotating-key-source.js";
import { resolveSoakOptions, type SoakOptions } from "./soak-options.js";
import type { SoakReport } from "./soak-report.js";
import { soakTelemetry } from "./soak-telemetry.js";

/** How long closed sockets and servers get to disappear from the process's resources. */
const SETTLE_MS = 10_000;
/**
 * The least time between two rotations: longer than any call lives here (a delayed answer, a headers timeout, a
 * retry), because a call replays once with a new key and a second rotation during it fails it. At 20,000 calls
 * apart, the full soak's rotations are further apart than this anyway.
 */
const MIN_ROTATION_GAP_MS = 5_000;

/**
 * Sends `requests` calls through one `OnceHubClient` (with the OpenTelemetry instrumentation on) to a sandbox in
 * this process that fails `faultRate` of the requests with every kind of fault it has, rotating the key the way
 * OnceHub recommends every `rotateEvery` calls (and at least 5 s apart), and reports what a long-running service would care about:
 * unhandled rejections, calls that failed without a typed error or on a rotated key, heap growth after warm-up
 * (after a full GC, with no call in flight), and sockets, servers and timers left behind once all is closed.
 *
 * @param options - {@link SoakOptions}.
 * @example
 * ```ts
 * const report = await runSoak({ requests: 5_000 });
 * expect(soakProblems(report, 9)).toEqual([]);
 * ```
 */
export async function runSoak(options: SoakOptions = {}): Promise<SoakReport> {
  const { requests, concurrency, rotateEvery, faultRate, warmup, onProgress } = resolveSoakOptions(options);
  const before = activeResources();
  let unhandledRejections = 0;
  const onUnhandled = (): void => void unhandledRejections++;
  process.on("unhandledRejection", onUnhandled);
  const started = performance.now();

  const sandbox = await startSandbox({ rateLimit: false, requestLogLimit: 1_000 });
  const keys = rotatingKeySource(sandbox);
  const telemetry = soakTelemetry(sandbox.baseUrl);
  const client = new OnceHubClient({
    keys: keys.provider,
    baseUrl: sandbox.baseUrl,
    ca: sandbox.ca,
    pacing: false,
    retry: { baseDelayMs: 5, maxDelayMs: 50 },
    timeouts: { headersMs: 1_000, bodyMs: 5_000 },
  });
  const firedFaults = injectFaultMix(sandbox, faultRate);

  let issued = 0;
  let done = 0;
  let succeeded = 0;
  let rotations = 0;
  let rotationSlot = -Infinity;
  let lastRotationAt = 0;
  let shortestRotationGap = Infinity;
  let longestCall = 0;
  let untypedFailures = 0;
  const failuresByCode: Record<string, number> = {};
  const firstMessages: Record<string, string> = {};
  const heapAtRotations: number[] = [];
  const progressEvery = Math.max(1, Math.floor(requests / 20));

  /** Runs calls until `until` of them were issued, `concurrency` at a time. */
  const runUntil = async (until: number): Promise<void> => {
    const worker = async (): Promise<void> => {
      while (issued < until) {
        const n = issued++;
        if (n > 0 && n % rotateEvery === 0) {
          // The slot is taken before waiting, so a later rotation waits for this one.
          const due = Math.max(performance.now(), rotationSlot + MIN_ROTATION_GAP_MS);
          rotationSlot = due;
          if (due > performance.now()) await sleep(due - performance.now());
          const now = performance.now();
          if (rotations > 0) shortestRotationGap = Math.min(shortestRotationGap, now - lastRotationAt);
          lastRotationAt = now;
          keys.rotate();
          rotations++;
        }
        const callStarted = performance.now();
        try {
          await (n % 10 === 9 ? client.request("GET", "/bookings", { query: { limit: 5 } }) : client.test());
          succeeded++;
        } catch (error) {
          if (!OnceKeyError.is(error)) {
            untypedFailures++;
          } else {
            failuresByCode[error.code] = (failuresByCode[error.code] ?? 0) + 1;
            firstMessages[error.code] ??= error.message;
          }
        }
        longestCall = Math.max(longestCall, performance.now() - callStarted);
        done++;
        if (done % progressEvery === 0) onProgress?.(done, requests);
        if (done % rotateEvery === 0) heapAtRotations.push(process.memoryUsage().heapUsed);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
  };

  let heapAfterWarmup = 0;
  let heapAtEnd = 0;
  let exchanges = 0;
  let keysRefused = 0;
  let requestsCounted = 0;
  let after: ResourceCounts = {};
  try {
    await runUntil(warmup);
    heapAfterWarmup = heapAfterGc();
    await runUntil(requests);
    heapAtEnd = heapAfterGc();
    for (const usage of client.usage()) {
      exchanges += usage.requests;
      keysRefused += usage.unauthorized;
    }
    requestsCounted = await telemetry.requestsCounted();
  } finally {
    sandbox.faults.clear();
    await client.close();
    await telemetry.close();
    await sandbox.close();
    // Closed sockets leave the process's resources a moment later.
    for (const deadline = performance.now() + SETTLE_MS; performance.now() < deadline; await sleep(50)) {
      after = activeResources();
      if (Object.keys(leftBehind(before, after)).length === 0) break;
    }
    process.off("unhandledRejection", onUnhandled);
  }
  return {
    calls: { total: done, succeeded, failed: done - succeeded },
    failuresByCode,
    firstMessages,
    untypedFailures,
    exchanges,
    keysRefused,
    rotations,
    shortestRotationGapMs: shortestRotationGap,
    longestCallMs: longestCall,
    faults: firedFaults(),
    unhandledRejections,
    heap: {
      afterWarmup: heapAfterWarmup,
      atEnd: heapAtEnd,
      growth: heapAtEnd / heapAfterWarmup - 1,
      atRotations: heapAtRotations,
    },
    resources: { before, after, leftBehind: leftBehind(before, after) },
    telemetry: { spans: telemetry.spans(), requestsCounted },
    seconds: (performance.now() - started) / 1000,
  };
}
