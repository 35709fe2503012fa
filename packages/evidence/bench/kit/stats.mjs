// Small statistics and formatting helpers for the measures.

/** The median of a non-empty list of numbers. */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** The spread of a list around its median, as "±x%" of the median (half the min-max range). */
export function spread(values) {
  const m = median(values);
  if (m === 0) return "±0%";
  return `±${(((Math.max(...values) - Math.min(...values)) / 2 / m) * 100).toFixed(0)}%`;
}

/** A number with thousands separators and `digits` decimals. */
export function format(value, digits = 0) {
  return value.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** Runs a full garbage collection (the runner starts every measure with --expose-gc). */
export function collectGarbage() {
  globalThis.gc?.();
}

/** A positive integer from an environment variable, or the default. */
export function intFromEnv(name, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1)
    throw new RangeError(`${name} must be a positive integer, got ${raw}`);
  return value;
}
