import type { Socket } from "node:net";

/** Resets now: see {@link resetConnection} for why that is not done in the request's own tick. */
function resetNow(socket: Socket): void {
  const tcp = (socket as Socket & { _parent?: Socket })._parent ?? socket;
  try {
    tcp.resetAndDestroy();
  } catch {
    // The handle cannot be reset (already closed, or not TCP): a plain destroy still drops the connection.
  }
  socket.destroy();
}

/**
 * Drops a connection with a TCP reset before any response byte. The client sees it fail as `ECONNRESET`, or, on a
 * connection that was idle before this request, often as undici's "other side closed" (`UND_ERR_SOCKET`): its TLS
 * layer reports the close first. Both are the same network failure; tests accept either.
 *
 * Only the TCP socket under a TLS one (Node's internal `_parent`) can send a RST; destroying the TLS socket alone
 * closes the connection cleanly instead. The reset waits for the next turn of the event loop: done in the tick the
 * request arrived in, while Node's HTTP server is still handling the bytes it parsed, it leaves the server (Node
 * 20) a connection entry without a socket, and `server.close()` then throws ("Cannot read properties of null
 * (reading '_httpMessage')"). Nothing is written in between: the caller sends no response.
 *
 * @param socket - the request's socket (`req.socket`), TLS or plain
 * @example
 * ```ts
 * resetConnection(req.socket);
 * ```
 */
export function resetConnection(socket: Socket | null): void {
  if (socket === null) return;
  setImmediate(() => resetNow(socket));
}
