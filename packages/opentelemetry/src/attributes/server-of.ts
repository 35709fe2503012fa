/** Where the instrumented clients send their requests, as the attributes name it. */
export interface Server {
  /** `server.address`: the host, without brackets for IPv6. */
  readonly address: string;
  /** `server.port`. */
  readonly port: number;
  /** The origin `url.full` starts with, e.g. `https://api.oncehub.com`. */
  readonly origin: string;
  /** The base URL's path, e.g. `/v2`: the part of a request path that is not the resource. */
  readonly basePath: string;
}

/** The {@link Server} of a parsed `https:` base URL. */
export function serverOf(url: URL): Server {
  const address = url.hostname.startsWith("[") ? url.hostname.slice(1, -1) : url.hostname;
  return {
    address,
    port: url.port === "" ? 443 : Number(url.port),
    origin: url.origin,
    basePath: url.pathname.replace(/\/+$/, ""),
  };
}
