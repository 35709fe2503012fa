/**
 * A small deterministic generator of numbers in `[0, 1)`, so that a random plan that failed can be replayed.
 *
 * @param seed - The same seed gives the same numbers.
 * @example
 * ```ts
 * const next = seeded(13);
 * const tenant = next() < 0.5 ? a : b;
 * ```
 */
export function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}
