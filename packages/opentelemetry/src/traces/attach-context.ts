import { type Context, context } from "@opentelemetry/api";

/** Restores the context that was active before {@link attachContext}. */
export interface ContextToken {
  dispose(): void;
}

type Attach = (active: Context) => ContextToken;

interface ContextApiWithAttach {
  /** `@opentelemetry/api` 1.10 and later. */
  readonly attach?: Attach;
  /** Every `@opentelemetry/api` 1.x: the registered context manager (outside its typed surface). */
  readonly _getContextManager?: () => { readonly attach?: Attach } | undefined;
}

const api = context as unknown as ContextApiWithAttach;

/**
 * Makes `active` the active context of the code that runs now and of the asynchronous work it starts, until the
 * returned token is disposed. It is what `context.attach()` exists for: a callback boundary (a tracing channel's
 * `start` and `end`) that `context.with()` cannot wrap. The registered context manager's own `attach()` is used
 * (`AsyncLocalStorageContextManager` of `@opentelemetry/context-async-hooks` 2.x has one), reached through
 * `@opentelemetry/api`'s context manager accessor, since `context.attach()` itself is 1.10's and the SDK 2.x that
 * runs on Node 20 pins 1.9; `context.attach()` when that accessor is gone. `undefined` when there is no way:
 * without a context manager there is no active context to set.
 *
 * The caller disposes the token in the same synchronous stretch of code, so the change never leaks into its
 * caller.
 *
 * @param active - The context to make active.
 */
export function attachContext(active: Context): ContextToken | undefined {
  const manager = typeof api._getContextManager === "function" ? api._getContextManager() : undefined;
  if (typeof manager?.attach === "function") return manager.attach(active);
  if (manager === undefined && typeof api.attach === "function") return api.attach(active);
  return undefined;
}

/**
 * Whether {@link attachContext} has a way to make a context active now, so a caller builds the context only
 * when it can be used.
 */
export function canAttachContext(): boolean {
  const manager = typeof api._getContextManager === "function" ? api._getContextManager() : undefined;
  return manager === undefined ? typeof api.attach === "function" : typeof manager.attach === "function";
}
