import { createHash } from "node:crypto";
import { createSecureContext, rootCertificates } from "node:tls";
import { Pool } from "undici";

/** What a {@link SharedPool} is keyed by: connections are shared only when all of it matches. */
export interface SharedPoolOptions {
  /** `https://host:port`. */
  readonly origin: string;
  /** Extra trusted CA certificates (PEM), added to Node's own roots. */
  readonly ca: string | Buffer | undefined;
  readonly connectTimeoutMs: number;
  /** The most sockets to the origin. */
  readonly connections: number;
}

/** One process-wide connection pool, held by every client that leases it. */
export interface SharedPool {
  readonly pool: Pool;
  /** Gives the lease back; the last one closes the pool (after the requests in flight finish). */
  release(): Promise<void>;
}

interface Entry {
  readonly pool: Pool;
  leases: number;
}

const pools = new Map<string, Entry>();

/**
 * Leases the connection pool for an origin and TLS setup, creating it on first use. Every client of the process
 * (and every `forTenant` child) with the same origin, CA and limits shares one pool, so thousands of tenants
 * reuse the same few keep-alive sockets.
 *
 * TLS verification is always on: `rejectUnauthorized` is set explicitly, so even
 * `NODE_TLS_REJECT_UNAUTHORIZED=0` cannot switch it off for the key's connections.
 */
export function leaseSharedPool(options: SharedPoolOptions): SharedPool {
  const id = [
    options.origin,
    options.ca === undefined ? "" : createHash("sha256").update(options.ca).digest("hex"),
    options.connectTimeoutMs,
    options.connections,
  ].join("\n");
  let entry = pools.get(id);
  if (entry === undefined) {
    const pool = new Pool(options.origin, {
      connections: options.connections,
      connect: {
        timeout: options.connectTimeoutMs,
        rejectUnauthorized: true,
        // A private CA is trusted in addition to the public roots, not instead of them. One context for the pool:
        // building it parses every root certificate, far too slow to repeat for each connection.
        ...(options.ca === undefined
          ? {}
          : { secureContext: createSecureContext({ ca: [...rootCertificates, caText(options.ca)] }) }),
      },
    });
    entry = { pool, leases: 0 };
    pools.set(id, entry);
  }
  entry.leases++;
  const held = entry;
  let released = false;
  return {
    pool: held.pool,
    release() {
      if (released) return Promise.resolve();
      released = true;
      held.leases--;
      if (held.leases > 0) return Promise.resolve();
      if (pools.get(id) === held) pools.delete(id);
      return held.pool.close();
    },
  };
}

function caText(ca: string | Buffer): string {
  return typeof ca === "string" ? ca : ca.toString("utf8");
}
