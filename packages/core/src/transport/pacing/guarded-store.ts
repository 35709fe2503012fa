import { emitEvent, notifyListener } from "../../events/emit-event.js";
import type { OnceKeyEvent, OnceKeyEventListener } from "../../events/once-key-event.js";
import type { Budget, PacingAnswer, PacingRefusal, PacingStore } from "./pacing-store.js";

/** A take that failed is a refusal for this long: the call waits and asks again. */
export const FAILED_TAKE_RETRY_MS = 250;

const isThenable = (value: unknown): value is PromiseLike<unknown> =>
  typeof (value as { then?: unknown } | null)?.then === "function";

const isAnswer = (value: unknown): value is PacingAnswer => {
  if (typeof value !== "object" || value === null) return false;
  const answer = value as { granted?: unknown; budget?: unknown; retryInMs?: unknown };
  if (answer.granted === true) return true;
  return (
    answer.granted === false && typeof answer.budget === "string" && typeof answer.retryInMs === "number"
  );
};

/** The error's own code or class name: never its message, which a store's author may have filled with a URL. */
function reasonOf(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === "string" && /^[\w:.-]{1,40}$/.test(code)) return code;
  const name = (error as { name?: unknown } | null)?.name;
  return typeof name === "string" && /^\w{1,40}$/.test(name) ? name : "STORE_ERROR";
}

/**
 * A pacing store's `take`, as core calls it: a take that throws, rejects or answers something that is not an
 * answer is a refusal of the call's own budget for {@link FAILED_TAKE_RETRY_MS}, so the call waits and asks again
 * (until its deadline) instead of failing with the store's error or hanging. The first failure is reported as a
 * `pacing:fallback` event and the first take that answers after it as `pacing:recovered`, on their diagnostics
 * channels and to each registered listener.
 */
export class GuardedStore {
  readonly #store: PacingStore;
  readonly #listeners = new Set<OnceKeyEventListener>();
  /** When takes started failing (`Date.now()`), or undefined while they answer. */
  #failingSince: number | undefined;

  constructor(store: PacingStore) {
    this.#store = store;
  }

  /**
   * The store's answer for `budgets`; a promise only when the store answered with one, and never one that
   * rejects.
   *
   * @param budgets - The budgets the call takes from.
   * @param tenant - The call's own budget name, which a failed take refuses.
   */
  take(budgets: readonly Budget[], tenant: string): PacingAnswer | Promise<PacingAnswer> {
    let pending: unknown;
    try {
      pending = this.#store.take(budgets);
    } catch (error) {
      return this.#failed(tenant, error);
    }
    if (!isThenable(pending)) return this.#answered(pending, tenant);
    return Promise.resolve(pending).then(
      (answer) => this.#answered(answer, tenant),
      (error: unknown) => this.#failed(tenant, error),
    );
  }

  /** Registers a listener for the failure and recovery events; returns its removal. */
  listen(listener: OnceKeyEventListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #answered(answer: unknown, tenant: string): PacingAnswer {
    if (!isAnswer(answer)) return this.#failed(tenant, { name: "MALFORMED_ANSWER" });
    if (this.#failingSince !== undefined) {
      const downForMs = Date.now() - this.#failingSince;
      this.#failingSince = undefined;
      this.#emit({ type: "pacing:recovered", time: Date.now(), store: this.#store.name, downForMs });
    }
    return answer;
  }

  #failed(tenant: string, error: unknown): PacingRefusal {
    if (this.#failingSince === undefined) {
      this.#failingSince = Date.now();
      const reason = reasonOf(error);
      this.#emit({
        type: "pacing:fallback",
        time: this.#failingSince,
        store: this.#store.name,
        reason,
        message:
          `The pacing store "${this.#store.name}" failed to answer a take (${reason}): the calls it paces wait ` +
          `and ask it again every ${FAILED_TAKE_RETRY_MS} ms until their deadline. Check the store.`,
        instances: 1,
      });
    }
    return { granted: false, budget: tenant, retryInMs: FAILED_TAKE_RETRY_MS };
  }

  #emit(event: OnceKeyEvent): void {
    emitEvent(event, undefined);
    for (const listener of this.#listeners) notifyListener(event, listener);
  }
}
