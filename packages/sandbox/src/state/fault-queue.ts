import { shownValue } from "../options/shown-value.js";

/**
 * How many matching requests a fault answers; every fault of both servers has these.
 *
 * @example
 * ```ts
 * sandbox.faults.inject({ kind: "reset", times: 3 }); // the next three matching requests
 * vault.faults.inject({ kind: "throttle", fraction: 0.5 }); // every second one, until cleared
 * ```
 */
export interface FaultCount {
  /** How many matching requests to fault; `Infinity` until `clear()`. @defaultValue 1, or `Infinity` with `fraction` */
  readonly times?: number;
  /**
   * Fault this share of the matching requests, spread evenly and deterministically: `0.25` faults the 4th, 8th,
   * 12th… matching request, so a test gets the same requests faulted on every run.
   */
  readonly fraction?: number;
}

/**
 * A fault that was injected: how often it fired, and a way to withdraw it early.
 *
 * @typeParam S - the fault's spec
 * @example
 * ```ts
 * const fault = sandbox.faults.inject({ kind: "status", status: 503, times: 5 });
 * await client.test().catch(() => undefined);
 * fault.hits; // 1
 * fault.remove();
 * ```
 */
export interface QueuedFault<S> {
  readonly spec: S;
  /** How many requests it has faulted so far. */
  readonly hits: number;
  /** How many more requests it will fault (`Infinity` for an open-ended `fraction`). */
  readonly remaining: number;
  /** Withdraws the fault; requests already faulted stay so. */
  remove(): void;
}

/** The longest a Node timer can wait: a longer delay would silently fire after 1 ms. */
export const MAX_DELAY_MS = 2_147_483_647;

/** Checks a fault's delay: a finite number of milliseconds a timer can wait. */
export function checkDelay(ms: unknown, name: string, fail: (problem: string) => never): void {
  if (!(typeof ms === "number" && Number.isFinite(ms) && ms >= 0 && ms <= MAX_DELAY_MS)) {
    fail(`${name} must be a number of milliseconds from 0 to ${MAX_DELAY_MS}`);
  }
}

/** Whether `value` can go in a response header as it is (no CR, LF or other control characters). */
export const isHeaderSafe = (value: string): boolean => /^[\x20-\x7e]*$/.test(value);

/** What one server's faults are: their kinds' rules, and which requests a fault applies to. */
export interface FaultRules<S extends { readonly kind: string }, R> {
  /** Names the faults in error messages, e.g. `"sandbox fault"`. */
  readonly label: string;
  /** Checks what is particular to a kind; calls `fail` with what is wrong. */
  check(spec: S, fail: (problem: string) => never): void;
  /** The fields a fault of this (valid) kind takes beside `kind`, `times` and `fraction`. */
  fields(kind: S["kind"]): readonly string[];
  /** Whether `spec` applies to `request` (its method, path, secret…). */
  matches(spec: S, request: R): boolean;
}

class ActiveFault<S extends FaultCount> implements QueuedFault<S> {
  hits = 0;
  remaining: number;
  #credit = 0;

  constructor(
    readonly spec: S,
    private readonly withdraw: (fault: ActiveFault<S>) => void,
  ) {
    this.remaining = spec.times ?? (spec.fraction === undefined ? 1 : Infinity);
  }

  /** Counts a matching request; true when this one is to be faulted. */
  due(): boolean {
    const fraction = this.spec.fraction;
    if (fraction === undefined) return true;
    this.#credit += fraction;
    // The epsilon absorbs float drift, so 0.1 fires on exactly every 10th request.
    if (this.#credit < 1 - 1e-9) return false;
    this.#credit -= 1;
    return true;
  }

  remove(): void {
    this.withdraw(this);
  }
}

/**
 * Injected faults, in the order given: each request gets at most one, the first that matches it and is due (by
 * `times` and `fraction`). The OnceHub sandbox and the fake Key Vault each hold one, with their own kinds and
 * matching rules; the counting, the validation of `times`/`fraction` and the bookkeeping are shared.
 *
 * @typeParam S - a fault spec
 * @typeParam R - what a request is matched by
 * @example
 * ```ts
 * const faults = new FaultQueue(rules);
 * const fault = faults.inject({ kind: "reset", times: 2 });
 * faults.take(request); // the spec, for the next two matching requests
 * ```
 */
export class FaultQueue<S extends FaultCount & { readonly kind: string }, R> {
  #faults: ActiveFault<S>[] = [];
  readonly #rules: FaultRules<S, R>;

  constructor(rules: FaultRules<S, R>) {
    this.#rules = rules;
  }

  /** Adds a fault after those already injected; throws a `RangeError` for an impossible spec. */
  inject(spec: S): QueuedFault<S> {
    const fail = (problem: string): never => {
      throw new RangeError(`Invalid ${this.#rules.label} (${JSON.stringify(spec?.kind)}): ${problem}.`);
    };
    if (typeof spec !== "object" || spec === null) {
      throw new TypeError(`A ${this.#rules.label} is an object with a kind, got ${shownValue(spec)}.`);
    }
    const { times, fraction } = spec;
    if (times !== undefined && !((Number.isInteger(times) || times === Infinity) && times > 0)) {
      fail("times must be a positive integer or Infinity");
    }
    if (fraction !== undefined && !(typeof fraction === "number" && fraction > 0 && fraction <= 1)) {
      fail("fraction must be in (0, 1]");
    }
    this.#rules.check(spec, fail);
    const known = ["kind", "times", "fraction", ...this.#rules.fields(spec.kind)];
    const unknown = Object.keys(spec).find((field) => !known.includes(field));
    if (unknown !== undefined) {
      const shown = /^[A-Za-z_$][\w$]{0,31}$/.test(unknown) ? `"${unknown}"` : "with an unusual name";
      fail(`unknown field ${shown}; this kind takes ${known.join(", ")}`);
    }
    const fault = new ActiveFault({ ...spec }, (withdrawn) => this.#remove(withdrawn));
    this.#faults.push(fault);
    return fault;
  }

  /** Withdraws every fault. */
  clear(): void {
    this.#faults = [];
  }

  /** How many more requests the faults will fault (`Infinity` when one is open-ended). */
  get pending(): number {
    return this.#faults.reduce((sum, fault) => sum + fault.remaining, 0);
  }

  /** The fault for this request, if one is due; counts it as fired. */
  take(request: R): S | undefined {
    if (this.#faults.length === 0) return undefined;
    for (const fault of this.#faults) {
      if (!this.#rules.matches(fault.spec, request) || !fault.due()) continue;
      fault.hits++;
      fault.remaining--;
      if (fault.remaining <= 0) this.#remove(fault);
      return fault.spec;
    }
    return undefined;
  }

  #remove(fault: ActiveFault<S>): void {
    this.#faults = this.#faults.filter((candidate) => candidate !== fault);
  }
}
