import type { IncomingMessage, ServerResponse } from "node:http";
import { createServer } from "node:https";
import type { AddressInfo } from "node:net";
import { createTlsMaterial } from "@oncekey/sandbox";

/** A running {@link startHttpsServer}. */
export interface TestHttpsServer {
  /** `https://127.0.0.1:<port>`. */
  readonly url: string;
  /** `url` + `/v2`, what a client takes as its base URL. */
  readonly baseUrl: string;
  /** The certificate to trust (`ca` of the client). */
  readonly ca: string;
  /** Closes every connection and the server. */
  close(): Promise<void>;
}

/**
 * Starts an HTTPS server on 127.0.0.1 (a port of its own) whose every request goes to `handler`: for tests of how
 * the client meets a server that misbehaves in ways the sandbox does not imitate.
 *
 * @param handler - Answers each request.
 * @example
 * ```ts
 * const server = await startHttpsServer((req, res) => {
 *   res.writeHead(400, { "content-type": "application/json" });
 *   res.end(JSON.stringify({ type: "invalid_request_error", message: "bad\r\nforged line" }));
 * });
 * ```
 */
export async function startHttpsServer(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<TestHttpsServer> {
  const tls = await createTlsMaterial("oncekey test server");
  const server = createServer({ cert: tls.cert, key: tls.key }, handler);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const url = `https://127.0.0.1:${port}`;
  return {
    url,
    baseUrl: `${url}/v2`,
    ca: tls.ca,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
