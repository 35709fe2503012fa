import { Pool } from "undici";

/** What an app answered. */
export interface AppAnswer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly text: string;
  /** The body parsed as JSON, or `undefined` when it is not JSON. */
  readonly json: unknown;
}

/** A request to an app: `GET` with no headers and no body unless said. */
export interface AppRequest {
  readonly method?: string;
  readonly headers?: Record<string, string>;
  readonly body?: string;
}

/** Requests to one app over a pool of keep-alive connections, made by {@link appCaller}. */
export interface AppCaller {
  /** Sends a request to `path` (with its query) and reads the whole answer. */
  call(path: string, request?: AppRequest): Promise<AppAnswer>;
  /** Closes the pool's connections. */
  close(): Promise<void>;
}

/**
 * Opens a pool of up to 32 connections to an app listening at `url`, for tests that send many requests, set any
 * header (`Host` included) and read status, headers and body.
 *
 * @param url - The app's origin, `http://127.0.0.1:<port>`.
 * @example
 * ```ts
 * const caller = appCaller(`http://127.0.0.1:${port}`);
 * const answer = await caller.call("/h/account", { headers: { "x-tenant": "tenant-a" } });
 * await caller.close();
 * ```
 */
export function appCaller(url: string): AppCaller {
  const pool = new Pool(url, { connections: 32 });
  return {
    async call(path, request = {}) {
      const response = await pool.request({
        path,
        method: (request.method ?? "GET") as "GET",
        headers: request.headers ?? {},
        body: request.body ?? null,
      });
      const text = await response.body.text();
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
      return { status: response.statusCode, headers: response.headers, text, json };
    },
    close: () => pool.close(),
  };
}
