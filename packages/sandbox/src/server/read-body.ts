import type { IncomingMessage } from "node:http";

/** Thrown when a request body is larger than the server (the sandbox or the fake vault) accepts. */
export class BodyTooLargeError extends Error {
  constructor(limit: number) {
    super(`The request body is larger than ${limit} bytes.`);
    this.name = "BodyTooLargeError";
  }
}

/**
 * Reads a request body as UTF-8, refusing more than `limit` bytes (the rest is drained, unread).
 *
 * @param req - the request, not yet read from
 * @param limit - the most bytes accepted
 * @throws BodyTooLargeError past `limit`; an `Error` when the client leaves before the body ends
 * @example
 * ```ts
 * const json = JSON.parse(await readBody(req, 64 * 1024));
 * ```
 */
export function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new BodyTooLargeError(limit));
        req.removeAllListeners("data");
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.once("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.once("error", reject);
    // A client that leaves mid-body never sends "end"; settle anyway so the request is logged.
    req.once("close", () => reject(new Error("The client closed the connection before the body ended.")));
  });
}
