import type { Socket } from "node:net";

/**
 * Drops a connection with a TCP reset, so the client sees `ECONNRESET` before any response byte.
 *
 * Only the TCP socket under a TLS one (Node's internal `_parent`) can send a RST; destroying the TLS socket alone
 * closes the connection cleanly instead.
 *
 * @param socket - the request's socket (`req.socket`), TLS or plain
 * @example
 * ```ts
 * resetConnection(req.socket);
 * ```
 */
export function resetConnection(socket: Socket | null): void {
  if (socket === null) return;
  const tcp = (socket as Socket & { _parent?: Socket })._parent ?? socket;
  try {
    tcp.resetAndDestroy();
  } catch {
    // The handle cannot be reset (already closed, or not TCP): a plain destroy still drops the connection.
  }
  socket.destroy();
}
