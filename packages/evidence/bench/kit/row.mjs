// One line of docs/benchmarks.json: a measure, its value and unit, its goal, and whether the goal was met.

const OPERATORS = new Set(["<=", ">=", "=="]);

/**
 * A result row. `goal` is `[operator, target]` with operator `<=`, `>=` or `==`; `met` is computed here, and is
 * false when `value` is not a finite number (a measure that could not take its reading) or `failed` says so.
 *
 * @param {{ name: string, value: number, unit: string, goal: [string, number], note?: string, failed?: string }} row
 * @returns {{ name: string, value: number | null, unit: string, goal: string, met: boolean, note?: string }}
 */
export function row({ name, value, unit, goal, note, failed }) {
  const [operator, target] = goal;
  if (!OPERATORS.has(operator) || typeof target !== "number")
    throw new TypeError(`row ${name}: goal must be ["<=" | ">=" | "==", number]`);
  const finite = typeof value === "number" && Number.isFinite(value);
  const met =
    finite &&
    failed === undefined &&
    (operator === "<=" ? value <= target : operator === ">=" ? value >= target : value === target);
  const notes = [note, failed].filter((text) => text !== undefined && text !== "");
  return {
    name,
    value: finite ? round(value) : null,
    unit,
    goal: `${operator} ${target}`,
    met,
    ...(notes.length === 0 ? {} : { note: notes.join("; ") }),
  };
}

/** Three significant decimals for ratios, whole numbers for large values. */
function round(value) {
  const magnitude = Math.abs(value);
  if (magnitude >= 1000) return Math.round(value);
  if (magnitude >= 10) return Math.round(value * 10) / 10;
  return Math.round(value * 1000) / 1000;
}
