// pnpm soak: the full soak (200,000 calls), its numbers printed and written into docs/reliability.md.
//   node --expose-gc dist/soak-command.js [--requests N] [--concurrency N]
// A run of another size prints its numbers and leaves the document alone. Exits 1 when a promise broke.
import { readFileSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import prettier from "prettier";
import { runSoak } from "./soak/run-soak.js";
import { resolveSoakOptions } from "./soak/soak-options.js";
import { soakProblems } from "./soak/soak-report.js";
import { soakSummary } from "./soak/soak-summary.js";

const FULL = 200_000;
const BEGIN = "<!-- soak:begin -->";
const END = "<!-- soak:end -->";

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { requests: { type: "string" }, concurrency: { type: "string" } },
  });
  const options = resolveSoakOptions({
    ...(values.requests === undefined ? {} : { requests: Number(values.requests) }),
    ...(values.concurrency === undefined ? {} : { concurrency: Number(values.concurrency) }),
    onProgress: (done, total) =>
      process.stdout.write(`${done.toLocaleString("en-US")} / ${total.toLocaleString("en-US")}\n`),
  });
  process.stdout.write(
    `soak: ${options.requests.toLocaleString("en-US")} calls, ${options.concurrency} at a time, ` +
      `${options.faultRate * 100}% faults, a key rotation every ${options.rotateEvery.toLocaleString("en-US")} calls\n`,
  );
  const report = await runSoak({ ...options, onProgress: options.onProgress ?? (() => {}) });
  const summary = soakSummary(report, new Date());
  const problems = soakProblems(report, Math.ceil(options.requests / options.rotateEvery) - 1);
  process.stdout.write(
    `\n${summary}\n\n${problems.length === 0 ? "every promise held" : problems.join("\n")}\n`,
  );

  if (options.requests === FULL) {
    const file = new URL("../../../docs/reliability.md", import.meta.url);
    const text = readFileSync(file, "utf8");
    const begin = text.indexOf(BEGIN);
    const end = text.indexOf(END);
    if (begin === -1 || end < begin) throw new Error(`docs/reliability.md has no ${BEGIN} … ${END} block`);
    const updated = `${text.slice(0, begin + BEGIN.length)}\n\n${summary}\n\n${text.slice(end)}`;
    const config = (await prettier.resolveConfig(file)) ?? {};
    writeFileSync(file, await prettier.format(updated, { ...config, parser: "markdown" }));
    process.stdout.write("docs/reliability.md updated\n");
  }
  process.exitCode = problems.length === 0 ? 0 : 1;
}

main().catch((error: unknown) => {
  process.stderr.write(`soak: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
