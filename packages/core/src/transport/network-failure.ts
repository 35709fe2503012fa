import { NetworkError } from "../errors/network-error.js";
import { TimeoutError } from "../errors/timeout-error.js";
import {
  BUFFERS_FULL,
  DEADLINE_PASSED,
  MAX_BUFFERED_BYTES,
  MAX_RESPONSE_BYTES,
  RESPONSE_TOO_LARGE,
} from "./exchange.js";
import type { CallKeys } from "./redact-key.js";
import { safeCause } from "./safe-cause.js";

/** A failed exchange, as the retry rules need it. */
export interface NetworkFailure {
  /** What the caller gets if no retry follows. */
  readonly error: NetworkError | TimeoutError;
  /** Whether another try may help (a certificate problem will not go away). */
  readonly transient: boolean;
  /** Whether the request may have reached the server, so only an idempotent method may be sent again. */
  readonly mayHaveReached: boolean;
}

/** Errors raised before a connection existed: the request was never written. */
const CONNECT_CODES = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EADDRNOTAVAIL",
  "UND_ERR_CONNECT_TIMEOUT",
]);

const TLS_CODE = /CERT|SSL|TLS|SIGNATURE|ISSUER/;

/** The `code` of what undici or the socket threw (e.g. `ECONNRESET`), or its name when it has none. */
export function errorCode(error: Error): string {
  const code = (error as { code?: unknown }).code;
  return typeof code === "string" ? code : error.name;
}

/**
 * Maps what undici or the socket threw to {@link NetworkError} or {@link TimeoutError} (with its `phase`), with a
 * message that names the request and what to check, and says whether the failure may be retried. The error keeps
 * a {@link safeCause} copy of what was thrown, never the original: its message may quote what the server sent.
 *
 * @param error - The error from the exchange.
 * @param started - Whether undici had handed the request to a connected socket.
 * @param what - The request, for the message, e.g. `GET /v2/test`.
 * @param origin - The server, for the message.
 * @param key - The key (or keys) the call carried, redacted from the messages.
 */
export function classifyNetworkFailure(
  error: Error,
  started: boolean,
  what: string,
  origin: string,
  key?: CallKeys,
): NetworkFailure {
  const cause = safeCause(error, key);
  const code = (cause as { code?: unknown }).code;
  const text = typeof code === "string" ? code : "";
  const beforeConnect = !started || CONNECT_CODES.has(text);
  switch (text) {
    case "UND_ERR_CONNECT_TIMEOUT":
      return timeout(
        `Could not connect to ${origin} in time for ${what}. Check the network path to OnceHub.`,
        "connect",
      );
    case "UND_ERR_HEADERS_TIMEOUT":
      return timeout(`OnceHub did not answer ${what} in time (no response headers).`, "headers");
    case "UND_ERR_BODY_TIMEOUT":
      return timeout(`OnceHub stopped sending the response to ${what} (body timeout).`, "body");
    case DEADLINE_PASSED:
      return {
        error: new TimeoutError(
          `${what} did not finish within its deadline (timeouts.totalMs), and was stopped.`,
          { phase: "total", cause },
        ),
        // The deadline is the call's whole budget: nothing is left for another try.
        transient: false,
        mayHaveReached: started,
      };
  }
  if (TLS_CODE.test(text)) {
    return {
      error: new NetworkError(
        `The TLS certificate of ${origin} was refused (${text}) for ${what}. If the server uses a private CA, ` +
          "pass it as `ca` (or ONCEKEY_CA_FILE); verification cannot be turned off.",
        { cause },
      ),
      transient: false,
      mayHaveReached: false,
    };
  }
  if (text === "UND_ERR_CLOSED" || text === "UND_ERR_DESTROYED") {
    return {
      error: new NetworkError(`${what} was not sent: the OnceHubClient is closed. Create a new client.`, {
        cause,
        transient: false,
      }),
      transient: false,
      mayHaveReached: false,
    };
  }
  if (text === RESPONSE_TOO_LARGE) {
    return {
      error: new NetworkError(
        `OnceHub's answer to ${what} is larger than ${MAX_RESPONSE_BYTES / 1024 / 1024} MiB, more than the ` +
          "client holds; ask for fewer items per page.",
        { cause },
      ),
      transient: false,
      mayHaveReached: true,
    };
  }
  if (text === BUFFERS_FULL) {
    return {
      error: new NetworkError(
        `OnceHub's answer to ${what} was dropped: the answers in flight held more than ` +
          `${MAX_BUFFERED_BYTES / 1024 / 1024} MiB together. Make fewer calls at once, or ask for fewer items per page.`,
        { cause },
      ),
      transient: true,
      mayHaveReached: true,
    };
  }
  if (text === "UND_ERR_INVALID_ARG") {
    return {
      error: new NetworkError(`${what} could not be sent: ${cause.message}`, { cause }),
      transient: false,
      mayHaveReached: false,
    };
  }
  const reason = text === "" ? cause.message : `${text}: ${cause.message}`;
  return {
    error: new NetworkError(
      beforeConnect
        ? `Could not connect to ${origin} for ${what} (${reason}). Check the base URL and the network.`
        : `The connection to ${origin} failed during ${what} (${reason}).`,
      { cause },
    ),
    transient: true,
    mayHaveReached: !beforeConnect,
  };

  function timeout(message: string, phase: "connect" | "headers" | "body"): NetworkFailure {
    return {
      error: new TimeoutError(message, { phase, cause }),
      transient: true,
      mayHaveReached: phase !== "connect",
    };
  }
}
