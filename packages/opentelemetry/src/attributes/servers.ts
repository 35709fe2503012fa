import { type Server, serverOf } from "./server-of.js";

/** More origins than any process calls: past it, the map starts over rather than grow. */
const MAX_ORIGINS = 100;

/**
 * The {@link Server} of each origin, parsed once. Core hands every event of a client the same origin string, so
 * the last one answers almost every lookup without hashing.
 */
export class Servers {
  readonly #byOrigin = new Map<string, Server>();
  #lastOrigin = "";
  #last: Server | undefined;

  /** The server of `origin`. */
  of(origin: string): Server {
    if (origin === this.#lastOrigin && this.#last !== undefined) return this.#last;
    let server = this.#byOrigin.get(origin);
    if (server === undefined) {
      if (this.#byOrigin.size >= MAX_ORIGINS) this.#byOrigin.clear();
      server = serverOf(origin);
      this.#byOrigin.set(origin, server);
    }
    this.#lastOrigin = origin;
    this.#last = server;
    return server;
  }
}
