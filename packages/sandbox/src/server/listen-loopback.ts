import type { Server } from "node:http";
import type { AddressInfo, Socket } from "node:net";

/** A server listening on 127.0.0.1. */
export interface LoopbackListener {
  /** The port it got (the one asked for, or a free one for 0). */
  readonly port: number;
  /** Stops listening and destroys every connection; resolves when the server is closed. Safe to call twice. */
  close(): Promise<void>;
}

/**
 * Starts `server` (HTTP or HTTPS) on 127.0.0.1 and returns a handle whose `close()` never waits for a client.
 *
 * `server.closeAllConnections()` only knows connections that reached the HTTP parser. An HTTPS server also holds
 * sockets whose TLS handshake has not finished (a client that connected and stalled, or one connecting at that
 * moment), and `server.close()` waits for those until the handshake times out, two minutes by default. So every
 * accepted TCP socket is tracked from its `connection` event and destroyed on close.
 *
 * @param server - an `http` or `https` server, not yet listening
 * @param port - 0 for any free port
 * @example
 * ```ts
 * const listener = await listenLoopback(https.createServer(tls, handler), 0);
 * const url = `https://127.0.0.1:${listener.port}`;
 * await listener.close();
 * ```
 */
export async function listenLoopback(server: Server, port: number): Promise<LoopbackListener> {
  const sockets = new Set<Socket>();
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    // A deep backlog so thousands of simultaneous connects queue instead of being retried after a SYN timeout.
    server.listen({ host: "127.0.0.1", port, backlog: 4096 }, () => {
      server.off("error", reject);
      resolve();
    });
  });
  let closing: Promise<void> | undefined;
  return {
    port: (server.address() as AddressInfo).port,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        for (const socket of sockets) socket.destroy();
        sockets.clear();
      });
      return closing;
    },
  };
}
