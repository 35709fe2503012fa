// What every measure receives: `export default async function (kit) { … return [kit.row(…)] }`.
import { alternate } from "./alternate.mjs";
import { processCost } from "./process-cost.mjs";
import { table, title } from "./report.mjs";
import { row } from "./row.mjs";
import { runConcurrently } from "./run-concurrently.mjs";
import { startSandboxProcess } from "./start-sandbox-process.mjs";
import { collectGarbage, format, intFromEnv, median, spread } from "./stats.mjs";

/** The kit handed to each measure. `quick` is true under BENCH_QUICK=1: smaller samples, to check a measure runs. */
export const kit = {
  quick: process.env.BENCH_QUICK === "1",
  alternate,
  collectGarbage,
  format,
  intFromEnv,
  median,
  processCost,
  row,
  runConcurrently,
  spread,
  startSandboxProcess,
  table,
  title,
};
