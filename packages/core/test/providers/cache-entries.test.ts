import { describe, expect, it } from "@jest/globals";
import { ApiKey, KeyNotFoundError } from "../../src/index.js";
import { CacheEntries, NO_TENANT } from "../../src/providers/cache-entries.js";
import { changed, type CacheState, type FreshState, loaded } from "../../src/providers/cache-state.js";

const freshOf = (value: string, expiresAt = Infinity): FreshState =>
  loaded(ApiKey.from(value, { source: "test" }), 0, expiresAt, false) as FreshState;

const notFoundOf = (): CacheState => ({
  kind: "not-found",
  error: new KeyNotFoundError("no key", { source: "test" }),
  until: 1_000,
  previous: undefined,
});

const clockAt =
  (time: number): (() => number) =>
  () =>
    time;

const keyOf = (state: CacheState | undefined): string | undefined =>
  state !== undefined && "key" in state ? state.key.reveal() : undefined;

describe("CacheEntries", () => {
  it("serves a fresh state without a TTL without reading the clock", () => {
    const entries = new CacheEntries(10, 10);
    const state = freshOf("key-a");
    entries.set("a", state);
    const clock = (): number => {
      throw new Error("the clock was read");
    };
    expect(entries.hit("a", clock)).toBe(state.resolved);
  });

  it("serves a state with a TTL only before it expires", () => {
    const entries = new CacheEntries(10, 10);
    const state = freshOf("key-a", 1_000);
    entries.set("a", state);
    expect(entries.hit("a", clockAt(999))).toBe(state.resolved);
    expect(entries.hit("a", clockAt(1_000))).toBeUndefined();
    expect(entries.peek("a")).toBe(state);
  });

  it("stops serving a key once a due state replaces its fresh one", () => {
    const entries = new CacheEntries(10, 10);
    const state = freshOf("key-a");
    entries.set("a", state);
    const due = changed(state, 5) as CacheState;
    entries.set("a", due);
    expect(entries.hit("a", clockAt(0))).toBeUndefined();
    expect(entries.peek("a")).toBe(due);
  });

  it("forgets the least recently used entry past its bound, in the LRU and in its side map alike", () => {
    const entries = new CacheEntries(2, 2);
    entries.set("a", freshOf("key-a"));
    entries.set("b", freshOf("key-b"));
    entries.hit("a", clockAt(0));
    entries.set("c", freshOf("key-c"));
    expect(entries.peek("b")).toBeUndefined();
    expect(entries.hit("b", clockAt(0))).toBeUndefined();
    expect(entries.peek("a")).toBeDefined();
    expect(entries.peek("c")).toBeDefined();
  });

  it("keeps an entry filed while its slot changes form", () => {
    const entries = new CacheEntries(1, 1);
    const state = freshOf("key-a");
    entries.set(NO_TENANT, state);
    const due = changed(state, 0) as CacheState;
    entries.set(NO_TENANT, due);
    expect(entries.peek(NO_TENANT)).toBe(due);
  });

  it("visits every entry least recently used first, and changes made on the way keep that order", () => {
    const entries = new CacheEntries(3, 3);
    for (const id of ["a", "b", "c"]) entries.set(id, freshOf(`key-${id}`));
    entries.hit("a", clockAt(0));
    const visited: unknown[] = [];
    entries.forEach((id, state) => {
      visited.push(id);
      entries.set(id, changed(state, 0) as CacheState);
    });
    expect(visited).toEqual(["b", "c", "a"]);
    // The order of use survived: "b" is still the first to go.
    entries.set("d", freshOf("key-d"));
    expect(entries.peek("b")).toBeUndefined();
    expect(entries.peek("a")).toBeDefined();
  });

  it("drops everything on clear", () => {
    const entries = new CacheEntries(3, 3);
    entries.set("a", freshOf("key-a"));
    entries.clear();
    expect(entries.peek("a")).toBeUndefined();
    expect(entries.hit("a", clockAt(0))).toBeUndefined();
  });

  it("holds no more entries in its side map than its bound after many evictions", () => {
    const entries = new CacheEntries(100, 100);
    for (let i = 0; i < 10_000; i++) entries.set(`t${i}`, freshOf(`key-${i}`));
    let filed = 0;
    entries.forEach(() => filed++);
    expect(filed).toBe(100);
    for (let i = 0; i < 9_900; i++) expect(entries.peek(`t${i}`)).toBeUndefined();
  });

  it("files tenants without a key apart, so they never push a real key out", () => {
    const entries = new CacheEntries(2, 2);
    entries.set("a", freshOf("key-a"));
    entries.set("b", freshOf("key-b"));
    for (let i = 0; i < 10; i++) entries.set(`ghost-${i}`, notFoundOf());
    expect(keyOf(entries.peek("a"))).toBe("key-a");
    expect(keyOf(entries.peek("b"))).toBe("key-b");
    expect(entries.peek("ghost-9")?.kind).toBe("not-found");
    expect(entries.peek("ghost-7")).toBeUndefined();
  });

  it("moves a tenant between the two rooms as it loses and regains its key", () => {
    const entries = new CacheEntries(2, 2);
    entries.set("a", freshOf("key-a"));
    entries.set("a", notFoundOf());
    expect(entries.hit("a", clockAt(0))).toBeUndefined();
    let held = 0;
    entries.forEach(() => held++);
    expect(held).toBe(0);
    const back = freshOf("key-a2");
    entries.set("a", back);
    expect(entries.hit("a", clockAt(0))).toBe(back.resolved);
    for (let i = 0; i < 5; i++) entries.set(`ghost-${i}`, notFoundOf());
    expect(entries.peek("a")).toBe(back);
  });
});
