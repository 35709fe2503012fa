import { createHash } from "node:crypto";
import type { RedisPacingClient } from "../redis-pacing-options.js";

/**
 * A Lua script run with EVALSHA (the server keeps it after the first run), falling back to EVAL, which loads it,
 * when the server answers NOSCRIPT (a restarted or failed-over server forgot it).
 */
export class LuaScript {
  readonly #source: string;
  readonly #sha: string;

  constructor(source: string) {
    this.#source = source;
    this.#sha = createHash("sha1").update(source).digest("hex");
  }

  /**
   * Runs the script; rejects with the client's error (a timeout, a closed connection, an error reply).
   *
   * @param client - The client, with its time limit applied.
   * @param keys - KEYS.
   * @param args - ARGV.
   */
  async run(client: RedisPacingClient, keys: string[], args: string[]): Promise<unknown> {
    try {
      return await client.evalSha(this.#sha, { keys, arguments: args });
    } catch (error) {
      if (!String((error as Error)?.message).startsWith("NOSCRIPT")) throw error;
      return client.eval(this.#source, { keys, arguments: args });
    }
  }
}
