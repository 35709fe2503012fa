import { afterAll, beforeAll } from "@jest/globals";
import { context } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";

/**
 * Registers OpenTelemetry's `AsyncLocalStorageContextManager` as the global context manager before the tests of
 * the enclosing `describe` (or file), as every OpenTelemetry set-up for Node does, and removes it after them.
 * Returns the manager, for a test that takes it away (`context.disable()`) and puts it back.
 *
 * @example
 * ```ts
 * const contextManager = useContextManager();
 * // in a test: context.disable(); … context.setGlobalContextManager(contextManager.enable());
 * ```
 */
export function useContextManager(): AsyncLocalStorageContextManager {
  const contextManager = new AsyncLocalStorageContextManager();
  beforeAll(() => {
    context.setGlobalContextManager(contextManager.enable());
  });
  afterAll(() => {
    contextManager.disable();
    context.disable();
  });
  return contextManager;
}
