import type { RedisPacingClient } from "./redis-pacing-options.js";
import { ADJUST_SCRIPT } from "./scripts/adjust-script.js";
import { LuaScript } from "./scripts/lua-script.js";

const adjust = new LuaScript(ADJUST_SCRIPT);

/** Corrections are sent together, at most this long after the first of them. */
const ADJUST_DELAY_MS = 5;

/**
 * The corrections a store makes to the shared budgets after a take (a rate budget's schedule moved by a late
 * request, a window entry moved to its answer or freed, an account emptied by a 429), sent together a few ms
 * after the first of them, as one run of the adjust script.
 */
export class AdjustQueue {
  readonly #client: RedisPacingClient;
  readonly #retryable: () => boolean;
  #timer: NodeJS.Timeout | undefined;
  #keys: string[] = [];
  #args: string[] = [];
  /** How many times the queued corrections that were sent most often were sent already. */
  #retry = 0;
  #closed = false;

  /**
   * @param client - The client, with its time limit applied.
   * @param retryable - Whether corrections that failed are worth sending again (Redis is still the store's).
   */
  constructor(client: RedisPacingClient, retryable: () => boolean) {
    this.#client = client;
    this.#retryable = retryable;
  }

  /** Queues the correction `op` (`s`, `p`, `x`, `e`; see the adjust script) of `key` with its arguments. */
  push(key: string, op: string, x: string, y: string, retry = 0): void {
    if (this.#closed) return;
    this.#retry = Math.max(this.#retry, retry);
    let index = this.#keys.indexOf(key);
    if (index === -1) index = this.#keys.push(key) - 1;
    this.#args.push(`${index + 1}|${op}|${x}|${y}`);
    if (this.#timer === undefined) {
      this.#timer = setTimeout(this.#flush, ADJUST_DELAY_MS);
      this.#timer.unref();
    }
  }

  /** Drops what is queued and sends nothing more. */
  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
  }

  readonly #flush = (): void => {
    this.#timer = undefined;
    const keys = this.#keys;
    const args = this.#args;
    const retry = this.#retry;
    this.#keys = [];
    this.#args = [];
    this.#retry = 0;
    adjust.run(this.#client, keys, args).catch(() => {
      // Sent again with the next corrections, up to three times in all: each one only ever moves a budget later or
      // frees nothing twice, so one applied twice (a reply that timed out after the server ran it) errs on the safe
      // side. Lost after that: Redis is down, and the local share and the write-back on its return take over.
      if (retry >= 2 || this.#closed || !this.#retryable()) return;
      for (const op of args) {
        const [index, name, x, y] = op.split("|") as [string, string, string, string];
        this.push(keys[Number(index) - 1] as string, name, x, y, retry + 1);
      }
    });
  };
}
