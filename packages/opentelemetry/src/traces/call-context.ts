import type { Context } from "@opentelemetry/api";
import type { Call } from "./call.js";

/** Where a call's own context holds the call, for the events it publishes. */
export const CALL = Symbol("@oncekey/opentelemetry call");

/**
 * The context a recording call runs in: `inner` (the caller's context with the call's span set) and the call
 * under {@link CALL}, without a copy of `inner`'s values (the API's own contexts copy them all on each
 * `setValue`, and a call would make two). It is immutable as every context is: a value set or deleted by code
 * that runs inside the call makes a new one, which keeps the call.
 */
export class CallContext implements Context {
  readonly #inner: Context;
  readonly #call: Call | undefined;

  /**
   * @param inner - The context holding everything but the call.
   * @param call - The call.
   */
  constructor(inner: Context, call: Call | undefined) {
    this.#inner = inner;
    this.#call = call;
  }

  /** The call under {@link CALL}, else `inner`'s value. */
  getValue(key: symbol): unknown {
    return key === CALL ? this.#call : this.#inner.getValue(key);
  }

  /** A context with `key` set to `value`. */
  setValue(key: symbol, value: unknown): Context {
    return key === CALL
      ? new CallContext(this.#inner, value as Call | undefined)
      : new CallContext(this.#inner.setValue(key, value), this.#call);
  }

  /** A context without `key`. */
  deleteValue(key: symbol): Context {
    return key === CALL ? this.#inner : new CallContext(this.#inner.deleteValue(key), this.#call);
  }
}
