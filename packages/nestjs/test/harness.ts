import { mkdtemp, rename, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { keyFingerprint, type Sandbox } from "@oncekey/sandbox";
import type { INestApplication } from "@nestjs/common";
import { Pool } from "undici";

/** A tenant with its own sandbox account, whose key lives in `<dir>/<id>`. */
export interface Tenant {
  readonly id: string;
  readonly accountId: string;
  readonly email: string;
  key: string;
  fingerprint: string;
}

/** What the app answered. */
export interface Answer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly text: string;
  /** The body parsed as JSON, or `undefined` when it is not JSON. */
  readonly json: unknown;
}

/** A running app: its URL, a connection pool to it, and `close()` for both. */
export interface RunningApp {
  readonly url: string;
  readonly app: INestApplication;
  call(
    path: string,
    init?: { method?: string; headers?: Record<string, string>; body?: string },
  ): Promise<Answer>;
  /** Closes the pool and the app (which closes the OnceHub client on `onApplicationShutdown`). */
  close(): Promise<void>;
}

/** Starts `app` on a free loopback port. */
export async function listen(app: INestApplication): Promise<RunningApp> {
  await app.listen(0, "127.0.0.1");
  const url = (await app.getUrl()).replace("[::1]", "127.0.0.1");
  const pool = new Pool(url, { connections: 32 });
  return {
    url,
    app,
    async call(path, init = {}) {
      const response = await pool.request({
        path,
        method: (init.method ?? "GET") as "GET",
        headers: init.headers ?? {},
        body: init.body ?? null,
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
    async close() {
      await pool.close();
      await app.close();
    },
  };
}

/** A fresh directory for key files, removed by `remove()`. */
export async function keyDirectory(): Promise<{ readonly path: string; remove(): Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), "oncekey-nestjs-"));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

/** Writes a key file whole (a new file renamed over the old), as a secret store updates one. */
export async function writeKeyFile(path: string, key: string): Promise<void> {
  const next = `${path}.next`;
  await writeFile(next, `${key}\n`, { mode: 0o600 });
  await rename(next, path);
}

/** Creates one sandbox account per id and writes its key to `<dir>/<id>`. */
export async function createTenants(
  sandbox: Sandbox,
  dir: string,
  ids: readonly string[],
): Promise<Tenant[]> {
  const tenants: Tenant[] = [];
  for (const id of ids) {
    const account = sandbox.accounts.create(`${id}@example.com`);
    await writeKeyFile(join(dir, id), account.key);
    tenants.push({
      id,
      accountId: account.id,
      email: account.email,
      key: account.key,
      fingerprint: keyFingerprint(account.key),
    });
  }
  return tenants;
}

/** Rotates a tenant's key the way a secret store does: OnceHub regenerates it, then the file is rewritten. */
export function regenerate(
  sandbox: Sandbox,
  tenant: Tenant,
): { readonly old: string; readonly fresh: string } {
  const old = tenant.key;
  const fresh = sandbox.keys.regenerate(old);
  tenant.key = fresh;
  tenant.fingerprint = keyFingerprint(fresh);
  return { old, fresh };
}

/** Runs `jobs` with at most `limit` in flight; returns their results in job order. */
export async function runLimited<T>(jobs: readonly (() => Promise<T>)[], limit: number): Promise<T[]> {
  const results: T[] = new Array(jobs.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < jobs.length) {
      const index = next++;
      results[index] = await (jobs[index] as () => Promise<T>)();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, jobs.length) }, worker));
  return results;
}

/** A small deterministic generator, so a failing order can be replayed. */
export function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

/** Whether `text` holds a stack trace line. */
export function holdsStack(text: string): boolean {
  return /\n\s+at\s/.test(text) || /"stack"/.test(text);
}
