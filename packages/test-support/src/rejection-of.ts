/**
 * What `promise` rejects with; throws (failing the test) when it resolves, so an assertion on the result can
 * never pass by accident.
 *
 * @param promise - The call expected to fail.
 * @example
 * ```ts
 * const error = await rejectionOf(client.test());
 * expect(holdsKey(printedForms(error), key)).toBe(false);
 * ```
 */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected a rejection, but the promise resolved");
}

/**
 * What `make` throws; throws (failing the test) when it returns.
 *
 * @param make - The call expected to throw synchronously.
 * @example
 * ```ts
 * expect(thrownBy(() => new OnceHubClient({ keys, retry: "x" }))).toMatchObject({ code: "CONFIG" });
 * ```
 */
export function thrownBy(make: () => unknown): unknown {
  try {
    make();
  } catch (error) {
    return error;
  }
  throw new Error("expected a throw, but the call returned");
}

/**
 * How a call settled: its value, or the error it rejected with. For loops that run many calls and check each
 * outcome afterwards.
 *
 * @param call - A promise, or a function whose result or throw is the outcome.
 * @example
 * ```ts
 * const outcomes = await Promise.all(ids.map((id) => settled(client.forTenant(id).test())));
 * ```
 */
export async function settled(call: Promise<unknown> | (() => unknown)): Promise<unknown> {
  try {
    return await (typeof call === "function" ? call() : call);
  } catch (error) {
    return error;
  }
}
