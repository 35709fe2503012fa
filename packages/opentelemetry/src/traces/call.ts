import type { RequestEvent } from "@oncekey/core/source";
import type { Span } from "@opentelemetry/api";
import type { ContextToken } from "./attach-context.js";

/** One API call in flight: its span, and what the span's final attributes need. Its events find it by its id. */
export interface Call {
  readonly span: Span;
  /** Whether the span records (it was sampled): events and attributes go only to a recording span. */
  readonly recording: boolean;
  /** Restores the caller's context at `end`: the span is active from `start` to there, and in all that began. */
  token: ContextToken | undefined;
  /** Exchanges so far: every retry, redirect and replay adds one. */
  exchanges: number;
  /** The first exchange, whose path (redacted by core) names the span. */
  first: RequestEvent | undefined;
  /** The last exchange, whose status, error and key the span reports. */
  last: RequestEvent | undefined;
  /** The span was ended (the call settled, or the instrumentation was disabled first). */
  ended: boolean;
}
