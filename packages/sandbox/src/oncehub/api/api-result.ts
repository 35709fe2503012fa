/** What a route answers: a status, a body (an object to serialize, or JSON already serialized) and extra headers. */
export interface ApiResult {
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

/** A request as the routes see it, after authentication. */
export interface ApiRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  /** The sandbox's HTTPS origin, for absolute `Link` URLs. */
  readonly origin: string;
  /** Reads the request body as text; rejects a body over the limit. */
  readonly readBody: () => Promise<string>;
}
