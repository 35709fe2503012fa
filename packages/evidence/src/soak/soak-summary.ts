import { MAX_HEAP_GROWTH, type SoakReport } from "./soak-report.js";

const MB = 2 ** 20;
const number = (value: number): string => value.toLocaleString("en-US");
const list = (counts: Readonly<Record<string, number>>): string =>
  Object.entries(counts)
    .map(([name, count]) => `${name} ${number(count)}`)
    .join(", ") || "none";

/** The report as a Markdown table, for the console and for `docs/reliability.md`. */
export function soakSummary(report: SoakReport, date: Date): string {
  const { calls, heap, resources, telemetry } = report;
  const rows: [string, string][] = [
    [
      "date, duration",
      `${date.toISOString().slice(0, 10)}, ${report.seconds.toFixed(0)} s (Node ${process.version})`,
    ],
    ["calls", `${number(calls.total)}: ${number(calls.succeeded)} succeeded, ${number(calls.failed)} failed`],
    ["failed calls by error code", list(report.failuresByCode)],
    ["failed calls without a typed oncekey error", number(report.untypedFailures)],
    ["HTTP exchanges (retries and replays included)", number(report.exchanges)],
    ["faults injected", list(report.faults)],
    ["key rotations; 401s answered to a rotated key", `${report.rotations}; ${number(report.keysRefused)}`],
    [
      "shortest time between two rotations; longest call",
      `${Number.isFinite(report.shortestRotationGapMs) ? `${(report.shortestRotationGapMs / 1000).toFixed(1)} s` : "-"}; ` +
        `${(report.longestCallMs / 1000).toFixed(1)} s`,
    ],
    ["unhandled rejections", number(report.unhandledRejections)],
    [
      "heap after GC: after warm-up, at the end",
      `${(heap.afterWarmup / MB).toFixed(1)} MB, ${(heap.atEnd / MB).toFixed(1)} MB: ` +
        `${heap.growth >= 0 ? "+" : ""}${(heap.growth * 100).toFixed(1)}% (limit ${MAX_HEAP_GROWTH * 100}%)`,
    ],
    [
      "heap in use at each rotation (calls in flight)",
      heap.atRotations.map((bytes) => (bytes / MB).toFixed(1)).join(", ") + " MB",
    ],
    ["active resources before", list(resources.before)],
    ["active resources after closing", list(resources.after)],
    ["left behind", list(resources.leftBehind)],
    [
      "spans exported; exchanges counted by oncekey.requests",
      `${number(telemetry.spans)}; ${number(telemetry.requestsCounted)}`,
    ],
  ];
  return [
    "| measure | value |",
    "| --- | --- |",
    ...rows.map(([name, value]) => `| ${name} | ${value} |`),
  ].join("\n");
}
