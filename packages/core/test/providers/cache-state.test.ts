import { describe, expect, it } from "@jest/globals";
import { ApiKey, KeyFormatError, KeyNotFoundError, KeySourceError } from "../../src/index.js";
import {
  type CacheState,
  changed,
  failed,
  invalidated,
  lastKey,
  loaded,
  loadReason,
  served,
} from "../../src/providers/cache-state.js";

const key = ApiKey.from("key-one-0123456789", { source: "test" });
const other = ApiKey.from("key-two-0123456789", { source: "test" });
const policy = { staleIfErrorMs: 1_000, retryAfterErrorMs: 100, notFoundTtlMs: 50 };
const transient = new KeySourceError("down", { source: "test" });

describe("the cache's states", () => {
  it("a load makes a fresh state, or a due one when the source changed during the read", () => {
    expect(loaded(key, 0, Infinity, false)).toMatchObject({ kind: "fresh", key, expiresAt: Infinity });
    expect(loaded(key, 7, Infinity, true)).toEqual({ kind: "due", key, dueAt: 7 });
  });

  it("a fresh state is served until it expires; then the reload's reason is expired", async () => {
    const fresh = loaded(key, 0, 100, false);
    await expect(served(fresh, 99, 1_000)).resolves.toBe(key);
    expect(served(fresh, 100, 1_000)).toBeUndefined();
    expect(loadReason(fresh, 100)).toBe("expired");
  });

  it("a change makes a fresh state due (its reload says changed) and a stale one ask again at once", () => {
    const due = changed(loaded(key, 0, Infinity, false), 5) as CacheState;
    expect(due).toEqual({ kind: "due", key, dueAt: 5 });
    expect(served(due, 5, 1_000)).toBeUndefined();
    expect(loadReason(due, 5)).toBe("changed");
    const stale = failed(due, transient, 10, policy) as CacheState;
    expect(changed(stale, 20)).toMatchObject({ kind: "stale", retryAt: 0 });
    expect(changed({ kind: "empty", previous: key, reason: "invalidated" }, 0)).toBeUndefined();
  });

  it("invalidating the very key held empties the state; another key changes nothing", () => {
    const fresh = loaded(key, 0, Infinity, false);
    expect(invalidated(fresh, other)).toBeUndefined();
    const empty = invalidated(fresh, key) as CacheState;
    expect(empty).toEqual({ kind: "empty", previous: key, reason: "invalidated" });
    expect(served(empty, 0, 1_000)).toBeUndefined();
    expect(lastKey(empty)).toBe(key);
    expect(loadReason(empty, 0)).toBe("invalidated");
  });

  it("a transient failure within the bound serves the last good key, asking again after retryAfterErrorMs", async () => {
    const due = changed(loaded(key, 0, Infinity, false), 0) as CacheState;
    const stale = failed(due, transient, 500, policy) as CacheState;
    expect(stale).toMatchObject({ kind: "stale", key, dueAt: 0, retryAt: 600, reason: "changed" });
    await expect(served(stale, 599, 1_000)).resolves.toBe(key);
    expect(served(stale, 600, 1_000)).toBeUndefined();
    // Past the bound, even a transient failure stops the key being served.
    expect(failed(stale, transient, 1_001, policy)).toEqual({
      kind: "empty",
      previous: key,
      reason: "changed",
    });
  });

  it("a lasting failure (bad format) drops the key at once", () => {
    const due = changed(loaded(key, 0, Infinity, false), 0) as CacheState;
    const error = new KeyFormatError("bad", { source: "test" });
    expect(failed(due, error, 1, policy)).toEqual({ kind: "empty", previous: key, reason: "changed" });
  });

  it("a transient 'not found' bridges like any transient failure; a lasting one is remembered", async () => {
    const due = changed(loaded(key, 0, Infinity, false), 0) as CacheState;
    const missing = new KeyNotFoundError("mid-rewrite", { source: "test", transient: true });
    expect(failed(due, missing, 1, policy)).toMatchObject({ kind: "stale" });
    const gone = new KeyNotFoundError("gone", { source: "test" });
    const notFound = failed(due, gone, 1, policy) as CacheState;
    expect(notFound).toMatchObject({ kind: "not-found", until: 51, previous: key });
    await expect(served(notFound, 50, 1_000)).rejects.toBe(gone);
    expect(served(notFound, 51, 1_000)).toBeUndefined();
    expect(failed(undefined, transient, 0, policy)).toBeUndefined();
  });
});
