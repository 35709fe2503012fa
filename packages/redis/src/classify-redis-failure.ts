/** What failed, as a stable code and a message that says what to do; never the URL, a password or a reply. */
export interface RedisFailure {
  readonly reason: string;
  readonly message: string;
}

const CODES = ["ECONNREFUSED", "ECONNRESET", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ETIMEDOUT", "EPIPE"];

/**
 * Classifies an error of the Redis client (or a reply that is not the script's) into a reason code and a message
 * of our own: the client's messages may quote the server's replies, and a server speaking nonsense may echo what
 * it was sent.
 *
 * @param error - The error, or the last connection error the client reported when a command found it offline.
 */
export function classifyRedisFailure(error: unknown): RedisFailure {
  // node-redis leaves `name` as "Error": its classes are told apart by their constructor.
  const name =
    typeof error === "object" && error !== null
      ? String((error as Error).name === "Error" ? error.constructor?.name : (error as Error).name)
      : "";
  const code = typeof error === "object" && error !== null ? (error as { code?: unknown }).code : undefined;
  const text = typeof error === "object" && error !== null ? String((error as Error).message) : "";
  if (typeof code === "string" && CODES.includes(code)) {
    return {
      reason: code,
      message: `Redis cannot be reached (${code}). Check ONCEKEY_REDIS_URL or the url option, and that Redis runs.`,
    };
  }
  if (/^(NOAUTH|WRONGPASS)\b/.test(text)) {
    const reason = text.startsWith("NOAUTH") ? "NOAUTH" : "WRONGPASS";
    return {
      reason,
      message:
        reason === "NOAUTH"
          ? "Redis requires a password: put it in the URL (redis://:password@host:6379) or pass a connected client."
          : "Redis refused the user name or password in the URL: check them.",
    };
  }
  if (/^(TimeoutError|TimeoutReadError|ConnectionTimeoutError|SocketTimeoutError)$/.test(name)) {
    return { reason: "TIMEOUT", message: "Redis did not answer within timeoutMs." };
  }
  if (name === "ClientOfflineError" || name === "ClientClosedError") {
    return {
      reason: "OFFLINE",
      message: "The connection to Redis is down; the client reconnects on its own.",
    };
  }
  if (
    name === "PacingReplyError" ||
    name === "SocketClosedUnexpectedlyError" ||
    /protocol|parse/i.test(text)
  ) {
    return {
      reason: "PROTOCOL",
      message:
        "The server at the Redis URL does not answer as Redis does: check that the URL points to Redis.",
    };
  }
  if (/^[A-Z]{3,}\b/.test(text)) {
    // An error reply's code (READONLY, LOADING, BUSY, OOM …) is Redis's own word, never data.
    const reason = /^[A-Z]{3,}/.exec(text)?.[0] ?? "ERROR";
    return { reason, message: `Redis answered with an error (${reason}).` };
  }
  return { reason: "ERROR", message: "The Redis client failed." };
}
