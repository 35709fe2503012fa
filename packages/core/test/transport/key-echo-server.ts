import type { IncomingMessage, ServerResponse } from "node:http";
import { createServer } from "node:https";
import type { AddressInfo } from "node:net";
import { createTlsMaterial } from "@oncekey/sandbox";

/** A running {@link startKeyEchoServer}. */
export interface KeyEchoServer {
  /** What a client takes as its base URL, e.g. `https://127.0.0.1:43123/v2`. */
  readonly baseUrl: string;
  /** The certificate to trust. */
  readonly ca: string;
  close(): Promise<void>;
}

/** A well-formed Request-Id, as OnceHub sends them. */
export const PLAIN_REQUEST_ID = "req_0123456789abcdef";

type Route = (key: string, res: ServerResponse, req: IncomingMessage) => void;

const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
};

/** Each path echoes the `API-Key` it received somewhere a server or a proxy in between might. */
const ROUTES: Record<string, Route> = {
  "/v2/prefix-401": (key, res) =>
    json(
      res,
      401,
      { type: "authentication_error", message: `Invalid API key ${key.slice(0, 24)}...` },
      { "request-id": PLAIN_REQUEST_ID },
    ),
  "/v2/tail-403": (key, res) =>
    json(res, 403, { type: "authentication_error", message: `Key ****${key.slice(-20)} has no API access` }),
  "/v2/url-encoded-400": (key, res) =>
    json(res, 400, {
      type: "invalid_request_error",
      message: `GET /v2/x?api_key=${encodeURIComponent(key)} is not allowed`,
      param: `api_key=${encodeURIComponent(key)}`,
    }),
  "/v2/json-escaped-422": (key, res) =>
    json(res, 422, { type: key.slice(5, 20), message: `Could not read ${JSON.stringify({ key })}` }),
  "/v2/request-id-400": (key, res) =>
    json(res, 400, { type: "invalid_request_error", message: "Bad request" }, { "request-id": key }),
  "/v2/request-id-401": (key, res) =>
    json(res, 401, { type: "authentication_error", message: "Invalid API key" }, { "request-id": key }),
  "/v2/request-id-500": (key, res) =>
    json(res, 500, { type: "api_error", message: "Failed" }, { "request-id": `req_${key}` }),
  "/v2/request-id-200-html": (key, res) => {
    res.writeHead(200, { "content-type": "text/html", "request-id": key });
    res.end("<html>");
  },
  "/v2/request-id-spaces": (_key, res) =>
    json(res, 400, { message: "Bad request" }, { "request-id": "req_1 Request-Id forged" }),
  "/v2/text-200": (key, res) => {
    res.writeHead(200, { "content-type": "text/plain" });
    res.end(key);
  },
  "/v2/unquoted-200": (key, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(`{"received": ${key}}`);
  },
  "/v2/redirect-host": (key, res) => {
    res.writeHead(302, { location: `https://${key.toLowerCase().replace(/[^a-z0-9-]/g, "")}.evil.example/` });
    res.end();
  },
  "/v2/redirect-path": (key, res) => {
    res.writeHead(307, { location: `/v2/echo/${encodeURIComponent(key)}` });
    res.end();
  },
  // Raw bytes that llhttp refuses at the \u0001; undici keeps the rest, echoed key included, as `data`.
  "/v2/malformed-header": (key, _res, req) =>
    void req.socket.end(`HTTP/1.1 200 OK\r\nX-Bad: a\u0001b\r\nX-Echo: ${key}\r\n\r\n`),
  "/v2/malformed-status": (key, _res, req) => void req.socket.end(`HTTP/1.1 2x0 ${key}\r\n\r\n`),
};

/** Starts an HTTPS server on 127.0.0.1 whose paths echo the received API key (see {@link ROUTES}). */
export async function startKeyEchoServer(): Promise<KeyEchoServer> {
  const tls = await createTlsMaterial("oncekey key echo");
  const server = createServer({ cert: tls.cert, key: tls.key }, (req, res) => {
    const route = ROUTES[new URL(req.url ?? "/", "https://x").pathname];
    const key = req.headers["api-key"];
    if (route === undefined || typeof key !== "string") json(res, 404, { message: "Not found" });
    else route(key, res, req);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `https://127.0.0.1:${port}/v2`,
    ca: tls.ca,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
