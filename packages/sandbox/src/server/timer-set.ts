/** Pending timers a server started, so `close()` can cancel them instead of waiting them out. */
export class TimerSet {
  readonly #timers = new Set<NodeJS.Timeout>();

  /** Runs `run` after `ms`, unless cancelled first by the function it returns or by {@link TimerSet.clear}. */
  after(ms: number, run: () => void): () => void {
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      run();
    }, ms);
    this.#timers.add(timer);
    return () => {
      clearTimeout(timer);
      this.#timers.delete(timer);
    };
  }

  clear(): void {
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
  }
}
