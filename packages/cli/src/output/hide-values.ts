/**
 * A copy of `value` (a report) with every occurrence of each hidden text in its strings replaced by `stand-in`.
 *
 * The library repeats a valid tenant id in its messages ("no key for tenant …"); a tenant id given on the command
 * line could be a key pasted in the wrong place, so the command hides one that the library's quoting rule would
 * not repeat as a name (longer than 20 characters).
 *
 * @param value - A JSON-like value.
 * @param hidden - The texts to hide, with what stands in for each.
 * @example
 * ```ts
 * hideValues({ message: `no key for tenant "${tenant}"` }, [[tenant, "<--tenant>"]]);
 * ```
 */
export function hideValues<T>(value: T, hidden: readonly (readonly [text: string, standIn: string])[]): T {
  if (hidden.length === 0) return value;
  const walk = (item: unknown): unknown => {
    if (typeof item === "string") {
      return hidden.reduce((text, [secret, standIn]) => text.split(secret).join(standIn), item);
    }
    if (Array.isArray(item)) return item.map(walk);
    if (typeof item === "object" && item !== null) {
      return Object.fromEntries(Object.entries(item).map(([key, entry]) => [key, walk(entry)]));
    }
    return item;
  };
  return walk(value) as T;
}
