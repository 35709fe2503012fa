import { once } from "node:events";
import { Agent, createServer, request, type Server } from "node:https";
import { createTlsMaterial, type Sandbox } from "@oncekey/sandbox";

/** A request the limiter saw: when, and whether it passed. */
export interface LimitedRequest {
  readonly time: number;
  readonly status: number;
}

/** A loopback HTTPS front of a sandbox that enforces OnceHub's per-IP limit. */
export interface IpLimiter {
  /** What a client takes as its base URL. */
  readonly baseUrl: string;
  readonly ca: string;
  /** Every request, in arrival order. */
  readonly requests: LimitedRequest[];
  close(): Promise<void>;
}

const BODY = JSON.stringify({ type: "rate_limit_error", message: "Request rate limit exceeded" });

/**
 * OnceHub's per-IP limit in front of a sandbox (which enforces the per-account one): at most `requests` in any
 * `windowMs` from one source IP (a sliding window; a refused request does not count), answered past it with
 * OnceHub's 429 body. Everything else is passed to the sandbox as is.
 *
 * @param sandbox - The sandbox behind it.
 * @param limit - The per-IP limit.
 */
export async function startIpLimiter(
  sandbox: Sandbox,
  limit: { readonly requests: number; readonly windowMs: number },
): Promise<IpLimiter> {
  const tls = await createTlsMaterial("oncekey ip limiter");
  const agent = new Agent({ keepAlive: true, ca: sandbox.ca, maxSockets: 256 });
  const target = new URL(sandbox.url);
  const requests: LimitedRequest[] = [];
  const accepted = new Map<string, number[]>();
  const server: Server = createServer({ cert: tls.cert, key: tls.key }, (req, res) => {
    const now = Date.now();
    const ip = req.socket.remoteAddress ?? "";
    const times = accepted.get(ip) ?? [];
    while (times.length > 0 && (times[0] as number) <= now - limit.windowMs) times.shift();
    accepted.set(ip, times);
    if (times.length >= limit.requests) {
      requests.push({ time: now, status: 429 });
      res.writeHead(429, {
        "Content-Type": "application/json",
        "Request-Id": `req_limited${requests.length}`,
      });
      res.end(BODY);
      req.resume();
      return;
    }
    times.push(now);
    const forwarded = request(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
        agent,
      },
      (answer) => {
        requests.push({ time: now, status: answer.statusCode ?? 0 });
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forwarded.on("error", () => res.destroy());
    req.pipe(forwarded);
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as { port: number };
  return {
    baseUrl: `https://127.0.0.1:${port}/v2`,
    ca: tls.ca,
    requests,
    close: async () => {
      server.closeAllConnections();
      server.close();
      agent.destroy();
    },
  };
}

/** The most requests that passed in any window of `windowMs`: at most the limit, if the limit held. */
export function busiestWindow(requests: readonly LimitedRequest[], windowMs: number): number {
  // In arrival order: the log is in the order the answers came back.
  const times = requests
    .filter((r) => r.status !== 429)
    .map((r) => r.time)
    .sort((a, b) => a - b);
  let most = 0;
  let start = 0;
  for (let end = 0; end < times.length; end++) {
    while ((times[start] as number) <= (times[end] as number) - windowMs) start++;
    most = Math.max(most, end - start + 1);
  }
  return most;
}
