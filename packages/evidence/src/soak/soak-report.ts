import type { ResourceCounts } from "./active-resources.js";

/** What a soak did and saw. */
export interface SoakReport {
  /** Calls made, and how they ended. */
  readonly calls: { readonly total: number; readonly succeeded: number; readonly failed: number };
  /** Failed calls by the `code` of their oncekey error. */
  readonly failuresByCode: Readonly<Record<string, number>>;
  /** The message of the first failure of each code (oncekey's messages never hold the key). */
  readonly firstMessages: Readonly<Record<string, string>>;
  /** Failed calls whose error was not an oncekey error (`OnceKeyError.is` false). */
  readonly untypedFailures: number;
  /** HTTP exchanges, retries and replays included (`usage()`), and how many OnceHub answered 401. */
  readonly exchanges: number;
  readonly keysRefused: number;
  /** Key rotations done, and how many faults of each kind the sandbox injected. */
  readonly rotations: number;
  /** The shortest time between two rotations (`Infinity` with fewer than two), and the longest call. */
  readonly shortestRotationGapMs: number;
  readonly longestCallMs: number;
  readonly faults: Readonly<Record<string, number>>;
  /** Promise rejections nobody handled during the run. */
  readonly unhandledRejections: number;
  /** Heap in use after a full GC: after the warm-up, at the end, their ratio minus one, and at each rotation. */
  readonly heap: {
    readonly afterWarmup: number;
    readonly atEnd: number;
    readonly growth: number;
    readonly atRotations: readonly number[];
  };
  /** Active resources (`process.getActiveResourcesInfo()`) before the run and after everything closed. */
  readonly resources: {
    readonly before: ResourceCounts;
    readonly after: ResourceCounts;
    readonly leftBehind: ResourceCounts;
  };
  /** The OpenTelemetry instrumentation over the run: spans exported, exchanges counted by `oncekey.requests`. */
  readonly telemetry: { readonly spans: number; readonly requestsCounted: number };
  readonly seconds: number;
}

/**
 * The errors the injected faults may end a call with: a refused redirect to another origin
 * (`INSECURE_TRANSPORT`, every redirect fault), and, when every try of a call meets a fault, the error of the last
 * one. `AUTHENTICATION` is not among them: a rotation must not fail a call.
 */
export const EXPECTED_FAILURES: readonly string[] = [
  "INSECURE_TRANSPORT",
  "NETWORK",
  "TIMEOUT",
  "RATE_LIMIT",
  "API_ERROR",
];

/** The most heap growth after warm-up a soak accepts. */
export const MAX_HEAP_GROWTH = 0.1;

/** Each promise the report shows broken, in words; empty when the soak passed. */
export function soakProblems(report: SoakReport, expectedRotations: number): string[] {
  const problems: string[] = [];
  if (report.unhandledRejections > 0) problems.push(`${report.unhandledRejections} unhandled rejections`);
  if (report.untypedFailures > 0)
    problems.push(`${report.untypedFailures} failed calls without an oncekey error`);
  const unexpected = Object.entries(report.failuresByCode).filter(
    ([code]) => !EXPECTED_FAILURES.includes(code),
  );
  for (const [code, count] of unexpected)
    problems.push(`${count} calls failed with ${code}: ${report.firstMessages[code] ?? ""}`);
  if (report.rotations !== expectedRotations)
    problems.push(`${report.rotations} rotations instead of ${expectedRotations}`);
  if (report.keysRefused < report.rotations)
    problems.push(`only ${report.keysRefused} 401s for ${report.rotations} rotations`);
  const silent = Object.entries(report.faults).filter(([, hits]) => hits === 0);
  if (silent.length > 0) problems.push(`faults never injected: ${silent.map(([name]) => name).join(", ")}`);
  const left = Object.entries(report.resources.leftBehind);
  if (left.length > 0) problems.push(`left behind: ${left.map(([kind, n]) => `${n} ${kind}`).join(", ")}`);
  if (report.heap.growth >= MAX_HEAP_GROWTH)
    problems.push(`heap grew ${(report.heap.growth * 100).toFixed(1)}% after warm-up`);
  if (report.telemetry.requestsCounted !== report.exchanges)
    problems.push(
      `oncekey.requests counted ${report.telemetry.requestsCounted} of ${report.exchanges} exchanges`,
    );
  return problems;
}
