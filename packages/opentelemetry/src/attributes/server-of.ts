/** The server of a call or an exchange, as the semantic conventions' attributes name it. */
export interface Server {
  /** `server.address`: the host, without brackets for IPv6. */
  readonly address: string;
  /** `server.port`: the explicit port, else 443. */
  readonly port: number;
}

/**
 * The {@link Server} of an `https:` origin as core's events and calls carry it (`https://api.oncehub.com`,
 * `https://127.0.0.1:8443`).
 *
 * @param origin - The origin, as `URL.origin` writes it.
 */
export function serverOf(origin: string): Server {
  const url = new URL(origin);
  const host = url.hostname;
  return {
    address: host.startsWith("[") ? host.slice(1, -1) : host,
    port: url.port === "" ? 443 : Number(url.port),
  };
}
