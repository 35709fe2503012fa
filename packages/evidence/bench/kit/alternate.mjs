// Alternating rounds: A, B, C, A, B, C … so a burst of noise on a shared machine hits every contender alike.

/**
 * Runs every contender once per round, in turn, `warmupRounds + rounds` times, and keeps the samples of the
 * measured rounds: `sample(name, contender)` returns one sample (a number or an object).
 *
 * @param {Record<string, unknown>} contenders - name -> whatever `sample` needs (a function to time, a client…)
 * @param {{ rounds: number, warmupRounds?: number, sample: (name: string, contender: unknown) => Promise<unknown>,
 *   onRound?: (round: number) => void }} options
 * @returns {Promise<Map<string, unknown[]>>} the samples of each contender, in round order
 */
export async function alternate(contenders, { rounds, warmupRounds = 0, sample, onRound }) {
  const samples = new Map(Object.keys(contenders).map((name) => [name, []]));
  for (let round = 0; round < warmupRounds + rounds; round++) {
    for (const [name, contender] of Object.entries(contenders)) {
      const result = await sample(name, contender);
      if (round >= warmupRounds) samples.get(name).push(result);
    }
    if (round >= warmupRounds) onRound?.(round - warmupRounds + 1);
  }
  return samples;
}
