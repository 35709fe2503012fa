import { type Context, context, type Span, trace } from "@opentelemetry/api";

/** Restores the context that was active before {@link attachSpan}. */
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
 * Makes `span`, as a child of `parent`, the active span of the code that runs now and of the asynchronous work it
 * starts, until the returned token is disposed. It is what `context.attach()` exists for: a callback boundary (a
 * tracing channel's `start` and `end`) that `context.with()` cannot wrap. The registered context manager's own
 * `attach()` is used (`AsyncLocalStorageContextManager` of `@opentelemetry/context-async-hooks` 2.x has one),
 * reached through `@opentelemetry/api`'s context manager accessor, since `context.attach()` itself is 1.10's and
 * the SDK 2.x that runs on Node 20 pins 1.9; `context.attach()` when that accessor is gone. `undefined` when there
 * is no way: without a context manager there is no active context to set, and nothing is built.
 *
 * The caller disposes the token in the same synchronous stretch of code, so the change never leaks into its
 * caller.
 *
 * @param parent - The caller's context.
 * @param span - The span to make active.
 */
export function attachSpan(parent: Context, span: Span): ContextToken | undefined {
  const manager = typeof api._getContextManager === "function" ? api._getContextManager() : undefined;
  if (typeof manager?.attach === "function") return manager.attach(trace.setSpan(parent, span));
  if (manager === undefined && typeof api.attach === "function")
    return api.attach(trace.setSpan(parent, span));
  return undefined;
}
