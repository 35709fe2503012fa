import type { ServerResponse } from "node:http";
import type { ApiResult } from "../api/api-result.js";
import type { TimerSet } from "../../server/timer-set.js";

const SLOW_BODY_PIECES = 10;

/** How to write a body slowly: its pieces spread evenly over `ms`. */
export interface SlowBody {
  readonly ms: number;
  readonly timers: TimerSet;
}

/**
 * Writes an {@link ApiResult} with the sandbox's standard headers (`Request-Id` always; JSON type and length when
 * there is a body) and returns the status, or `null` when the client had already gone.
 */
export function sendResult(
  res: ServerResponse,
  result: ApiResult,
  requestId: string,
  slow?: SlowBody,
): number | null {
  if (res.destroyed) return null;
  const body =
    typeof result.body === "string"
      ? result.body
      : result.body === undefined
        ? ""
        : JSON.stringify(result.body);
  const headers: Record<string, string | number> = { "Request-Id": requestId, ...result.headers };
  if (body !== "") {
    headers["Content-Type"] = "application/json; charset=utf-8";
  }
  const bytes = Buffer.from(body);
  headers["Content-Length"] = bytes.length;
  res.writeHead(result.status, headers);
  if (slow === undefined || bytes.length === 0) {
    res.end(bytes);
  } else {
    res.flushHeaders();
    trickle(res, bytes, slow);
  }
  return result.status;
}

function trickle(res: ServerResponse, bytes: Buffer, slow: SlowBody): void {
  const pieces = Math.min(SLOW_BODY_PIECES, bytes.length);
  const size = Math.ceil(bytes.length / pieces);
  const interval = slow.ms / pieces;
  let sent = 0;
  const next = (): void => {
    if (res.destroyed) return;
    const piece = bytes.subarray(sent, sent + size);
    sent += piece.length;
    if (sent >= bytes.length) {
      res.end(piece);
    } else {
      res.write(piece);
      slow.timers.after(interval, next);
    }
  };
  slow.timers.after(interval, next);
}
