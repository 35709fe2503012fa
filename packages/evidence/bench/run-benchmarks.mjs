// pnpm bench: runs every measure of every package (packages/*/bench/*.bench.mjs), each in a fresh process with
// --expose-gc started in its package's directory, and writes docs/benchmarks.json and docs/benchmarks.md.
//
//   node bench/run-benchmarks.mjs              every measure; writes the two files
//   node bench/run-benchmarks.mjs client       only measures whose path holds "client"; prints, writes nothing
//   BENCH_QUICK=1 node bench/run-benchmarks.mjs   smaller samples, to check the measures run; writes nothing
//
// A missed goal is reported, not fatal; a measure that crashes or times out exits non-zero at the end.
import { fork } from "node:child_process";
import { existsSync, readdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import { dirname, join, relative } from "node:path";
import { performance } from "node:perf_hooks";
import { clearTimeout, setTimeout } from "node:timers";
import { fileURLToPath } from "node:url";
import prettier from "prettier";
import { markdownReport } from "./markdown-report.mjs";

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, "..", "..", "..");
const RUN_ONE = join(HERE, "run-one.mjs");
const TIMEOUT_MS = Number(process.env.BENCH_TIMEOUT_MS ?? 300_000);
const filter = process.argv[2] ?? "";
const quick = process.env.BENCH_QUICK === "1";

/** Every measure file, package by package, in name order. */
function measures() {
  const packagesDir = join(ROOT, "packages");
  return readdirSync(packagesDir)
    .sort()
    .flatMap((name) => {
      const bench = join(packagesDir, name, "bench");
      if (!existsSync(bench)) return [];
      return readdirSync(bench)
        .filter((file) => file.endsWith(".bench.mjs"))
        .sort()
        .map((file) => ({
          file: join(bench, file),
          cwd: join(packagesDir, name),
          source: `packages/${name}/bench/${file}`,
        }));
    })
    .filter(({ source }) => source.includes(filter));
}

/** Runs one measure in its own process; resolves with its rows, or a row that says it did not finish. */
function run({ file, cwd, source }) {
  return new Promise((resolve) => {
    const child = fork(RUN_ONE, [file], { cwd, execArgv: ["--expose-gc"], stdio: "inherit" });
    let rows;
    const timer = setTimeout(() => child.kill("SIGKILL"), TIMEOUT_MS);
    child.on("message", (message) => (rows = message.rows));
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      if (rows !== undefined && code === 0) return resolve(rows.map((row) => ({ ...row, source })));
      const why =
        signal === "SIGKILL" ? `timed out after ${TIMEOUT_MS / 1000} s` : `exited with ${code ?? signal}`;
      resolve([
        {
          name: `${source}: did not finish`,
          value: null,
          unit: "",
          goal: "completes",
          met: false,
          note: why,
          source,
        },
      ]);
    });
  });
}

const started = performance.now();
const rows = [];
const timings = [];
const files = measures();
if (files.length === 0) throw new Error(`no measure matches "${filter}"`);
for (const measure of files) {
  console.log(`\n### ${measure.source}`);
  const measureStarted = performance.now();
  rows.push(...(await run(measure)));
  const measureSeconds = Math.round((performance.now() - measureStarted) / 1000);
  timings.push({ source: measure.source, seconds: measureSeconds });
  console.log(`(${measureSeconds} s)`);
}
const seconds = (performance.now() - started) / 1000;

const cpus = os.cpus();
const report = {
  machine: {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model.trim() ?? "unknown",
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    loadAverageAtEnd: os.loadavg().map((load) => Math.round(load * 100) / 100),
  },
  date: new Date().toISOString(),
  durationSeconds: Math.round(seconds),
  measures: timings,
  rows,
};

console.log(
  `\n${rows.length} rows in ${Math.round(seconds)} s; ${rows.filter((r) => !r.met).length} goals missed.`,
);
for (const row of rows)
  console.log(
    `${row.met ? "met " : "MISS"}  ${row.name}: ${row.value ?? "-"} ${row.unit} (goal ${row.goal})`,
  );
if (filter === "" && !quick) {
  const docs = join(ROOT, "docs");
  // Written as the repository's formatter would write them, so `pnpm format` passes on a fresh run.
  const write = async (file, text, parser) => {
    const options = (await prettier.resolveConfig(join(docs, file))) ?? {};
    writeFileSync(join(docs, file), await prettier.format(text, { ...options, parser }));
  };
  await write("benchmarks.json", JSON.stringify(report, null, 2), "json");
  await write("benchmarks.md", markdownReport(report), "markdown");
  console.log(`wrote ${relative(process.cwd(), join(docs, "benchmarks.md"))} and benchmarks.json`);
} else {
  console.log("a filtered or quick run: docs/benchmarks.* left as they were");
}
if (rows.some((row) => row.value === null && row.goal === "completes")) process.exitCode = 1;
