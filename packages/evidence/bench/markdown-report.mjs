// docs/benchmarks.md from the report run-benchmarks.mjs writes to docs/benchmarks.json.

const OPERATOR_TEXT = { "<=": "≤", ">=": "≥", "==": "=" };

/** A value with its unit: `1.04x`, `12,345 req/s`. */
function withUnit(value, unit) {
  if (value === null) return "-";
  const number = Math.abs(value) >= 1000 ? value.toLocaleString("en-US") : String(value);
  return unit === "x" ? `${number}x` : unit === "" ? number : `${number} ${unit}`;
}

function goalText(goal, unit) {
  const [operator, target] = goal.split(" ");
  if (target === undefined) return goal;
  return `${OPERATOR_TEXT[operator] ?? operator} ${withUnit(Number(target), unit)}`;
}

/** The whole page. */
export function markdownReport({ machine, date, durationSeconds, measures, rows }) {
  const lines = [
    "# Benchmarks",
    "",
    "Written by `pnpm bench` (every `packages/*/bench/*.bench.mjs`, each in a fresh process); do not edit by hand.",
    "Ratios compare contenders measured in the same run, in alternating rounds, because the machines are shared",
    "and noisy: read a ratio, not an absolute figure, and rerun before trusting a single miss. How each measure",
    "works, and how to add one: `docs/development.md`, section Benchmarks.",
    "",
    `Run of ${date.slice(0, 10)}, ${durationSeconds} s: Node ${machine.node}, ${machine.cpus} × ${machine.cpuModel}, ` +
      `${machine.memoryGiB} GiB, ${machine.os}; load average at the end ${machine.loadAverageAtEnd.join(", ")}.`,
    "",
    "| measure | value | goal | met |",
    "| --- | ---: | ---: | :---: |",
    ...rows.map(
      (row) =>
        `| ${row.name}${row.note === undefined ? "" : ` (${row.note})`} | ${withUnit(row.value, row.unit)} | ` +
        `${goalText(row.goal, row.unit)} | ${row.met ? "yes" : "**no**"} |`,
    ),
    "",
    "Measures, and how long each took: " +
      measures.map(({ source, seconds }) => `\`${source}\` (${seconds} s)`).join(", ") +
      ".",
    "",
  ];
  return lines.join("\n");
}
