import { describe, expect, it } from "@jest/globals";
import { ApiKey, KeyNotFoundError } from "../../src/index.js";
import { CacheEntries } from "../../src/providers/cache-entries.js";
import { type CacheEntry, NO_TENANT } from "../../src/providers/cache-entry.js";

const entryOf = (value: string, expiresAt = Infinity): CacheEntry => {
  const key = ApiKey.from(value, { source: "test" });
  return {
    key,
    resolved: Promise.resolve(key),
    expiresAt,
    dueAt: expiresAt,
    reason: "expired",
    previous: undefined,
    retryAt: 0,
    notFound: undefined,
    notFoundUntil: 0,
  };
};

const notFoundOf = (): CacheEntry => ({
  ...entryOf("unused"),
  key: undefined,
  resolved: undefined,
  expiresAt: -Infinity,
  notFound: new KeyNotFoundError("no key", { source: "test" }),
  notFoundUntil: 1_000,
});

const clockAt =
  (time: number): (() => number) =>
  () =>
    time;

describe("CacheEntries", () => {
  it("serves a fresh entry without a TTL without reading the clock", () => {
    const entries = new CacheEntries(10, 10);
    const entry = entryOf("key-a");
    entries.set("a", entry);
    const clock = (): number => {
      throw new Error("the clock was read");
    };
    expect(entries.hit("a", clock)).toBe(entry.resolved);
  });

  it("serves an entry with a TTL only before it expires", () => {
    const entries = new CacheEntries(10, 10);
    const entry = entryOf("key-a", 1_000);
    entries.set("a", entry);
    expect(entries.hit("a", clockAt(999))).toBe(entry.resolved);
    expect(entries.hit("a", clockAt(1_000))).toBeUndefined();
    expect(entries.peek("a")).toBe(entry);
  });

  it("stops serving an entry made due in place once told of the change", () => {
    const entries = new CacheEntries(10, 10);
    const entry = entryOf("key-a");
    entries.set("a", entry);
    entry.expiresAt = -Infinity;
    entries.changed("a", entry);
    expect(entries.hit("a", clockAt(0))).toBeUndefined();
    expect(entries.peek("a")).toBe(entry);
  });

  it("stops serving an entry whose key was dropped in place once told of the change", () => {
    const entries = new CacheEntries(10, 10);
    const entry = entryOf("key-a");
    entries.set("a", entry);
    entry.key = undefined;
    entry.resolved = undefined;
    entries.changed("a", entry);
    expect(entries.hit("a", clockAt(0))).toBeUndefined();
  });

  it("ignores a change reported for an entry it no longer holds", () => {
    const entries = new CacheEntries(10, 10);
    const old = entryOf("key-old");
    const current = entryOf("key-new");
    entries.set("a", old);
    entries.set("a", current);
    old.expiresAt = -Infinity;
    entries.changed("a", old);
    expect(entries.hit("a", clockAt(0))).toBe(current.resolved);
  });

  it("forgets the least recently used entry past its bound, in the LRU and in its side map alike", () => {
    const entries = new CacheEntries(2, 2);
    entries.set("a", entryOf("key-a"));
    entries.set("b", entryOf("key-b"));
    entries.hit("a", clockAt(0));
    entries.set("c", entryOf("key-c"));
    expect(entries.peek("b")).toBeUndefined();
    expect(entries.hit("b", clockAt(0))).toBeUndefined();
    expect(entries.peek("a")).toBeDefined();
    expect(entries.peek("c")).toBeDefined();
  });

  it("keeps an entry filed while its slot changes form", () => {
    const entries = new CacheEntries(1, 1);
    const entry = entryOf("key-a");
    entries.set(NO_TENANT, entry);
    entry.expiresAt = -Infinity;
    entries.changed(NO_TENANT, entry);
    expect(entries.peek(NO_TENANT)).toBe(entry);
  });

  it("visits every entry least recently used first, and changes made on the way keep that order", () => {
    const entries = new CacheEntries(3, 3);
    for (const id of ["a", "b", "c"]) entries.set(id, entryOf(`key-${id}`));
    entries.hit("a", clockAt(0));
    const visited: unknown[] = [];
    entries.forEach((id, entry) => {
      visited.push(id);
      entry.expiresAt = -Infinity;
      entries.changed(id, entry);
    });
    expect(visited).toEqual(["b", "c", "a"]);
    // The order of use survived: "b" is still the first to go.
    entries.set("d", entryOf("key-d"));
    expect(entries.peek("b")).toBeUndefined();
    expect(entries.peek("a")).toBeDefined();
  });

  it("drops everything on clear", () => {
    const entries = new CacheEntries(3, 3);
    entries.set("a", entryOf("key-a"));
    entries.clear();
    expect(entries.peek("a")).toBeUndefined();
    expect(entries.hit("a", clockAt(0))).toBeUndefined();
  });

  it("holds no more entries in its side map than its bound after many evictions", () => {
    const entries = new CacheEntries(100, 100);
    for (let i = 0; i < 10_000; i++) entries.set(`t${i}`, entryOf(`key-${i}`));
    let filed = 0;
    entries.forEach(() => filed++);
    expect(filed).toBe(100);
    for (let i = 0; i < 9_900; i++) expect(entries.peek(`t${i}`)).toBeUndefined();
  });

  it("files tenants without a key apart, so they never push a real key out", () => {
    const entries = new CacheEntries(2, 2);
    entries.set("a", entryOf("key-a"));
    entries.set("b", entryOf("key-b"));
    for (let i = 0; i < 10; i++) entries.set(`ghost-${i}`, notFoundOf());
    expect(entries.peek("a")?.key?.reveal()).toBe("key-a");
    expect(entries.peek("b")?.key?.reveal()).toBe("key-b");
    expect(entries.peek("ghost-9")?.notFound).toBeDefined();
    expect(entries.peek("ghost-7")).toBeUndefined();
  });

  it("moves a tenant between the two rooms as it loses and regains its key", () => {
    const entries = new CacheEntries(2, 2);
    entries.set("a", entryOf("key-a"));
    entries.set("a", notFoundOf());
    expect(entries.hit("a", clockAt(0))).toBeUndefined();
    let held = 0;
    entries.forEach(() => held++);
    expect(held).toBe(0);
    const back = entryOf("key-a2");
    entries.set("a", back);
    expect(entries.hit("a", clockAt(0))).toBe(back.resolved);
    for (let i = 0; i < 5; i++) entries.set(`ghost-${i}`, notFoundOf());
    expect(entries.peek("a")).toBe(back);
  });
});
