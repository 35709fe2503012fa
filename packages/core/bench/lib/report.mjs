// Prints tables and goal lines: a benchmark here is a report, so a missed goal prints MISS and still exits 0.

/** Prints a header line for a benchmark. */
export function title(text) {
  console.log(`\n${text}\n${"=".repeat(text.length)}`);
}

/** Prints rows as aligned columns; the first row is the heading. */
export function table(rows) {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => String(row[column]).length)));
  rows.forEach((row, index) => {
    const cells = row.map((cell, column) =>
      column === 0 ? String(cell).padEnd(widths[column]) : String(cell).padStart(widths[column]),
    );
    console.log(cells.join("   "));
    if (index === 0) console.log(widths.map((width) => "-".repeat(width)).join("   "));
  });
}

/**
 * A goal: `ratio` compared with `target` by `op` ("<=" or ">="), e.g. goal("hit cost vs await", 1.8, "<=", 3).
 * Returns the row printed by {@link goals}.
 */
export function goal(name, ratio, op, target) {
  const met = op === "<=" ? ratio <= target : ratio >= target;
  return [name, `${op} ${target}x`, `${ratio.toFixed(2)}x`, met ? "PASS" : "MISS"];
}

/** Prints goal rows under a heading. */
export function goals(rows) {
  console.log("");
  table([["goal", "target", "measured", "result"], ...rows]);
}
