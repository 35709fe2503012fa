import { type AddressInfo, createServer } from "node:net";

/**
 * A loopback port nothing listens on now: a server's, once closed. For a process a test starts on a port of its
 * own, or for an address where no one answers.
 *
 * @example
 * ```ts
 * const port = await freePort();
 * const child = spawn("redis-server", ["--port", String(port)]);
 * ```
 */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
