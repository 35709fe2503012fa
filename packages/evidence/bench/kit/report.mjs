// Console output of a measure: what it measured, as it goes. The rows it returns are what the runner records.

/** Prints a header line. */
export function title(text) {
  console.log(`\n${text}\n${"=".repeat(Math.min(text.length, 110))}`);
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
