import { describe, expect, it, jest } from "@jest/globals";
import { CANARY_KEYS } from "@oncekey/sandbox";
import {
  ApiKey,
  cached,
  ConfigError,
  type CachedOptions,
  KeyFormatError,
  KeyNotFoundError,
  KeySourceError,
  type KeyProvider,
  type KeyRequest,
  type OnceKeyEvent,
} from "../src/index.js";
import { type KeyChangeListener } from "../src/source.js";

/** A source whose answers the test controls, counting reads. */
class FakeSource implements KeyProvider {
  readonly name = "fake";
  reads = 0;
  value: string | Error = "key-one";
  readonly perTenant = new Map<string, string>();
  listeners = new Set<KeyChangeListener>();
  closed = false;
  gate: Promise<void> | undefined;

  /** Read the value when the read starts (a slow source's snapshot) rather than when it ends. */
  valueAtStart = false;

  async getKey(request?: KeyRequest): Promise<ApiKey> {
    this.reads++;
    const atStart = this.current(request);
    await this.gate;
    await Promise.resolve();
    const value = this.valueAtStart ? atStart : this.current(request);
    if (value instanceof Error) throw value;
    return ApiKey.from(value, { source: `fake:${request?.tenant ?? "-"}` });
  }

  current(request?: KeyRequest): string | Error {
    return request?.tenant === undefined ? this.value : (this.perTenant.get(request.tenant) ?? this.value);
  }

  watch(listener: KeyChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  change(tenant?: string): void {
    for (const listener of this.listeners) listener(tenant === undefined ? {} : { tenant });
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}

function setup(options: Parameters<typeof cached>[1] = {}) {
  const source = new FakeSource();
  const events: OnceKeyEvent[] = [];
  let time = 1_000_000;
  const clock = {
    now: () => time,
    advance: (ms: number) => {
      time += ms;
    },
  };
  const keys = cached(source, { now: clock.now, onEvent: (e) => events.push(e), ...options });
  return { source, keys, events, clock };
}

describe(cached.name, () => {
  describe("when the cache is cold", () => {
    it("10,000 concurrent callers cause exactly one source read", async () => {
      const { source, keys } = setup();
      const results = await Promise.all(Array.from({ length: 10_000 }, () => keys.getKey()));
      expect(source.reads).toBe(1);
      expect(new Set(results).size).toBe(1);
      expect(results[0]?.reveal()).toBe("key-one");
    });

    it("reads once per tenant, never sharing a key between tenants", async () => {
      const { source, keys } = setup();
      const tenants = Array.from({ length: 100 }, (_, i) => `tenant-${i}`);
      for (const t of tenants) source.perTenant.set(t, `key-of-${t}`);
      const calls = tenants.flatMap((tenant) => Array.from({ length: 50 }, () => ({ tenant })));
      const keysServed = await Promise.all(calls.map((request) => keys.getKey(request)));
      expect(source.reads).toBe(100);
      keysServed.forEach((key, i) => expect(key.reveal()).toBe(`key-of-${calls[i]?.tenant}`));
    });

    it("keeps a tenant's key apart from the single-tenant key", async () => {
      const { source, keys } = setup();
      source.perTenant.set("acme", "key-acme");
      expect((await keys.getKey()).reveal()).toBe("key-one");
      expect((await keys.getKey({ tenant: "acme" })).reveal()).toBe("key-acme");
    });
  });

  describe("when the key is cached", () => {
    it("serves it without reading the source again", async () => {
      const { source, keys } = setup();
      const first = await keys.getKey();
      for (let i = 0; i < 100; i++) expect(await keys.getKey()).toBe(first);
      expect(source.reads).toBe(1);
    });

    it("keeps it with no TTL however much time passes", async () => {
      const { source, keys, clock } = setup();
      await keys.getKey();
      clock.advance(365 * 24 * 3600_000);
      await keys.getKey();
      expect(source.reads).toBe(1);
    });

    it("reloads after the TTL", async () => {
      const { source, keys, clock, events } = setup({ ttlMs: 60_000 });
      await keys.getKey();
      clock.advance(59_999);
      await keys.getKey();
      expect(source.reads).toBe(1);
      clock.advance(2);
      source.value = "key-two";
      expect((await keys.getKey()).reveal()).toBe("key-two");
      expect(source.reads).toBe(2);
      expect(
        events.filter((e) => e.type === "key:loaded").map((e) => (e as { reason: string }).reason),
      ).toEqual(["initial", "expired"]);
      expect(events.some((e) => e.type === "key:rotated")).toBe(true);
    });

    it("spreads TTLs with jitter but never past the TTL", async () => {
      const { source, keys, clock } = setup({ ttlMs: 1_000, ttlJitter: 0.5, maxTenants: 1_000 });
      const tenants = Array.from({ length: 200 }, (_, i) => `t${i}`);
      await Promise.all(tenants.map((tenant) => keys.getKey({ tenant })));
      clock.advance(750);
      await Promise.all(tenants.map((tenant) => keys.getKey({ tenant })));
      const reloadedEarly = source.reads - 200;
      expect(reloadedEarly).toBeGreaterThan(0);
      expect(reloadedEarly).toBeLessThan(200);
      clock.advance(251);
      const before = source.reads;
      await Promise.all(tenants.map((tenant) => keys.getKey({ tenant })));
      expect(source.reads - before).toBe(200 - reloadedEarly);
    });
  });

  describe("when a key is invalidated", () => {
    it("1,000 concurrent rejections of the same key cause exactly one refetch", async () => {
      const { source, keys } = setup();
      const old = await keys.getKey();
      source.value = "key-two";
      const refreshed = await Promise.all(
        Array.from({ length: 1_000 }, async () => {
          keys.invalidate?.(old);
          return keys.getKey();
        }),
      );
      expect(source.reads).toBe(2);
      expect(new Set(refreshed.map((k) => k.reveal()))).toEqual(new Set(["key-two"]));
    });

    it("ignores rejections of the old key that arrive after a newer key was loaded", async () => {
      const { source, keys, events } = setup();
      const old = await keys.getKey();
      keys.invalidate?.(old);
      source.value = "key-two";
      const current = await keys.getKey();
      keys.invalidate?.(old);
      expect(await keys.getKey()).toBe(current);
      expect(source.reads).toBe(2);
      expect(events.filter((e) => e.type === "key:invalidated")).toHaveLength(1);
    });

    it("ignores a late rejection even when the reload returned the same secret", async () => {
      const { source, keys } = setup();
      const old = await keys.getKey();
      keys.invalidate?.(old);
      const reloaded = await keys.getKey();
      expect(reloaded.equals(old)).toBe(true);
      keys.invalidate?.(old);
      await keys.getKey();
      expect(source.reads).toBe(2);
    });

    it("ignores an equal key that is not the instance it holds", async () => {
      const { source, keys } = setup();
      await keys.getKey();
      keys.invalidate?.(ApiKey.from("key-one"));
      await keys.getKey();
      expect(source.reads).toBe(1);
    });

    it("only drops the tenant it is told about", async () => {
      const { source, keys } = setup();
      const a = await keys.getKey({ tenant: "a" });
      await keys.getKey({ tenant: "b" });
      keys.invalidate?.(a, { tenant: "b" });
      keys.invalidate?.(a, { tenant: "a" });
      await keys.getKey({ tenant: "a" });
      await keys.getKey({ tenant: "b" });
      expect(source.reads).toBe(3);
    });

    it("makes the next caller read the source again when the key is rejected during a reload", async () => {
      // A reload that began before the rejection may return the rejected key: the next caller must not join it.
      const { source, keys, clock } = setup({ ttlMs: 1_000 });
      const old = await keys.getKey();
      clock.advance(1_001);
      let open!: () => void;
      source.gate = new Promise((resolve) => (open = resolve));
      source.valueAtStart = true;
      const reload = keys.getKey();
      source.value = "key-two";
      keys.invalidate?.(old);
      const afterRejection = keys.getKey();
      source.gate = undefined;
      open();
      expect((await reload).reveal()).toBe("key-one");
      expect((await afterRejection).reveal()).toBe("key-two");
      expect((await keys.getKey()).reveal()).toBe("key-two");
      expect(source.reads).toBe(3);
    });

    it("never serves the rejected key stale when the reload fails", async () => {
      const { source, keys } = setup();
      const old = await keys.getKey();
      keys.invalidate?.(old);
      source.value = new KeySourceError("vault down", { source: "fake" });
      await expect(keys.getKey()).rejects.toMatchObject({ code: "KEY_SOURCE" });
    });

    it("reports key:invalidated and, when the reload finds a new key, key:rotated", async () => {
      const { source, keys, events } = setup();
      const old = await keys.getKey({ tenant: "acme" });
      keys.invalidate?.(old, { tenant: "acme" });
      source.value = "key-two";
      const fresh = await keys.getKey({ tenant: "acme" });
      expect(events).toContainEqual(
        expect.objectContaining({ type: "key:invalidated", tenant: "acme", fingerprint: old.fingerprint }),
      );
      expect(events).toContainEqual(
        expect.objectContaining({
          type: "key:loaded",
          reason: "invalidated",
          fingerprint: fresh.fingerprint,
        }),
      );
      expect(events).toContainEqual(
        expect.objectContaining({
          type: "key:rotated",
          tenant: "acme",
          previousFingerprint: old.fingerprint,
          fingerprint: fresh.fingerprint,
        }),
      );
    });
  });

  describe("when the source fails behind a cached key", () => {
    it("serves the cached key and emits a stale event", async () => {
      const { source, keys, clock, events } = setup({ ttlMs: 1_000 });
      const good = await keys.getKey();
      clock.advance(1_001);
      source.value = new KeySourceError("vault unavailable (503)", { source: "fake" });
      expect(await keys.getKey()).toBe(good);
      const stale = events.find((e) => e.type === "key:stale");
      expect(stale).toMatchObject({
        type: "key:stale",
        fingerprint: good.fingerprint,
        errorCode: "KEY_SOURCE",
        errorMessage: "vault unavailable (503)",
      });
    });

    it("names only the class and code of an error that is not oncekey's, whose message may quote the key", async () => {
      const { source, keys, clock, events } = setup({ ttlMs: 1_000 });
      await keys.getKey();
      clock.advance(1_001);
      // What JSON.parse says of a stored value that became the bare key: its start, quoted.
      source.value = Object.assign(
        new SyntaxError(`Unexpected token 'o', "${CANARY_KEYS.dashed.slice(0, 10)}"... is not valid JSON`),
        {
          code: "ERR_PARSE",
        },
      );

      await keys.getKey();

      const stale = events.find((e) => e.type === "key:stale") as { errorMessage: string };
      expect(stale.errorMessage).toBe(
        "The source failed with a SyntaxError (ERR_PARSE); its message is not repeated, as it may quote what the source read.",
      );
    });

    it("asks the source again at most every retryAfterErrorMs", async () => {
      const { source, keys, clock } = setup({ ttlMs: 1_000, retryAfterErrorMs: 500 });
      await keys.getKey();
      clock.advance(1_001);
      source.value = new KeySourceError("down");
      await Promise.all(Array.from({ length: 50 }, () => keys.getKey()));
      expect(source.reads).toBe(2);
      clock.advance(400);
      await keys.getKey();
      expect(source.reads).toBe(2);
      clock.advance(101);
      await keys.getKey();
      expect(source.reads).toBe(3);
      source.value = "key-two";
      clock.advance(501);
      expect((await keys.getKey()).reveal()).toBe("key-two");
    });

    it("stops serving it after staleIfErrorMs", async () => {
      const { source, keys, clock } = setup({ ttlMs: 1_000, staleIfErrorMs: 10_000, retryAfterErrorMs: 0 });
      await keys.getKey();
      clock.advance(1_000 + 10_000);
      source.value = new KeySourceError("down");
      await expect(keys.getKey()).resolves.toBeDefined();
      clock.advance(1);
      await expect(keys.getKey()).rejects.toMatchObject({ code: "KEY_SOURCE" });
    });

    it("does not serve stale when the source says the key is gone or malformed", async () => {
      for (const error of [new KeyNotFoundError("deleted"), new KeyFormatError("broken")]) {
        const { source, keys, clock } = setup({ ttlMs: 1_000 });
        await keys.getKey();
        clock.advance(1_001);
        source.value = error;
        await expect(keys.getKey()).rejects.toBe(error);
      }
    });

    it("can be turned off", async () => {
      const { source, keys, clock } = setup({ ttlMs: 1_000, staleIfErrorMs: 0 });
      await keys.getKey();
      clock.advance(1_001);
      source.value = new KeySourceError("down");
      await expect(keys.getKey()).rejects.toMatchObject({ code: "KEY_SOURCE" });
    });
  });

  describe("when the source reports a change", () => {
    it("reloads on the next call and reports the rotation", async () => {
      const { source, keys, events } = setup();
      const old = await keys.getKey();
      source.value = "key-two";
      source.change();
      const fresh = await keys.getKey();
      expect(fresh.reveal()).toBe("key-two");
      expect(events).toContainEqual(expect.objectContaining({ type: "key:loaded", reason: "changed" }));
      expect(events).toContainEqual(
        expect.objectContaining({ type: "key:rotated", previousFingerprint: old.fingerprint }),
      );
    });

    it("reloads only the tenant that changed", async () => {
      const { source, keys } = setup();
      await keys.getKey({ tenant: "a" });
      await keys.getKey({ tenant: "b" });
      source.change("a");
      await keys.getKey({ tenant: "a" });
      await keys.getKey({ tenant: "b" });
      expect(source.reads).toBe(3);
    });

    it("reloads again when the change arrived during a read", async () => {
      const { source, keys } = setup();
      let open!: () => void;
      source.gate = new Promise((resolve) => (open = resolve));
      const pending = keys.getKey();
      await Promise.resolve();
      source.change();
      source.gate = undefined;
      open();
      await pending;
      source.value = "key-two";
      expect((await keys.getKey()).reveal()).toBe("key-two");
      expect(source.reads).toBe(2);
    });
  });

  describe("when the tenant has no key", () => {
    it("remembers 'not found' for notFoundTtlMs", async () => {
      const { source, keys, clock } = setup({ notFoundTtlMs: 1_000 });
      source.value = new KeyNotFoundError("no key", { source: "fake" });
      for (let i = 0; i < 20; i++)
        await expect(keys.getKey({ tenant: "ghost" })).rejects.toMatchObject({ code: "KEY_NOT_FOUND" });
      expect(source.reads).toBe(1);
      clock.advance(1_001);
      source.value = "key-now";
      expect((await keys.getKey({ tenant: "ghost" })).reveal()).toBe("key-now");
    });

    it("keeps every real key while 1,000 made-up tenant ids come and go", async () => {
      const { source, keys } = setup({ maxTenants: 3, maxUnknownTenants: 10 });
      for (const tenant of ["a", "b", "c"]) source.perTenant.set(tenant, `key-${tenant}`);
      const real = await Promise.all(["a", "b", "c"].map((tenant) => keys.getKey({ tenant })));
      source.value = new KeyNotFoundError("no key", { source: "fake" });
      for (let i = 0; i < 1_000; i++) {
        await expect(keys.getKey({ tenant: `ghost-${i}` })).rejects.toMatchObject({ code: "KEY_NOT_FOUND" });
      }
      const readsAfterFlood = source.reads;
      const again = await Promise.all(["a", "b", "c"].map((tenant) => keys.getKey({ tenant })));
      expect(again).toEqual(real);
      expect(source.reads).toBe(readsAfterFlood);
    });

    it("remembers at most maxUnknownTenants of them, the oldest going first", async () => {
      const { source, keys } = setup({ maxUnknownTenants: 2 });
      source.value = new KeyNotFoundError("no key", { source: "fake" });
      for (const tenant of ["x", "y", "z"]) await expect(keys.getKey({ tenant })).rejects.toThrow();
      expect(source.reads).toBe(3);
      await expect(keys.getKey({ tenant: "z" })).rejects.toThrow();
      await expect(keys.getKey({ tenant: "y" })).rejects.toThrow();
      expect(source.reads).toBe(3);
      await expect(keys.getKey({ tenant: "x" })).rejects.toThrow();
      expect(source.reads).toBe(4);
    });

    it("gives the room of a tenant whose key went away to real keys", async () => {
      const { source, keys } = setup({ maxTenants: 2 });
      const gone = new Set<string>();
      const readKey = source.getKey.bind(source);
      source.getKey = (request) =>
        request?.tenant !== undefined && gone.has(request.tenant)
          ? Promise.reject(new KeyNotFoundError("gone", { source: "fake" }))
          : readKey(request);
      for (const tenant of ["a", "b", "c"]) source.perTenant.set(tenant, `key-${tenant}`);
      await keys.getKey({ tenant: "a" });
      await keys.getKey({ tenant: "b" });
      gone.add("a");
      source.change("a");
      await expect(keys.getKey({ tenant: "a" })).rejects.toMatchObject({ code: "KEY_NOT_FOUND" });
      const reads = source.reads;
      // "c" takes the room "a" left, so "b" stays held.
      expect((await keys.getKey({ tenant: "c" })).reveal()).toBe("key-c");
      expect((await keys.getKey({ tenant: "b" })).reveal()).toBe("key-b");
      expect(source.reads).toBe(reads + 1);
    });

    it("serves a key again, with a rotation event, once a tenant without key gets one", async () => {
      const { source, keys, events, clock } = setup({ notFoundTtlMs: 500 });
      let gone = false;
      const readKey = source.getKey.bind(source);
      source.getKey = (request) =>
        gone ? Promise.reject(new KeyNotFoundError("gone", { source: "fake" })) : readKey(request);
      source.perTenant.set("a", "key-a");
      await keys.getKey({ tenant: "a" });
      gone = true;
      source.change("a");
      await expect(keys.getKey({ tenant: "a" })).rejects.toMatchObject({ code: "KEY_NOT_FOUND" });
      gone = false;
      source.perTenant.set("a", "key-a2");
      clock.advance(501);
      expect((await keys.getKey({ tenant: "a" })).reveal()).toBe("key-a2");
      expect(events.filter((event) => event.type === "key:rotated")).toMatchObject([{ tenant: "a" }]);
    });
  });

  describe("when the tenant id is invalid", () => {
    it.each(["", "../x", "a/b", "-x", "x".repeat(129), "%2e%2e"])(
      "refuses %j before asking the source",
      async (tenant) => {
        const { source, keys } = setup();
        await expect(keys.getKey({ tenant })).rejects.toMatchObject({ code: "INVALID_TENANT" });
        expect(source.reads).toBe(0);
      },
    );
  });

  describe("when there are more tenants than the bound", () => {
    it("drops the least recently used", async () => {
      const { source, keys } = setup({ maxTenants: 3 });
      for (const tenant of ["a", "b", "c"]) await keys.getKey({ tenant });
      await keys.getKey({ tenant: "a" });
      await keys.getKey({ tenant: "d" });
      expect(source.reads).toBe(4);
      await keys.getKey({ tenant: "a" });
      expect(source.reads).toBe(4);
      await keys.getKey({ tenant: "b" });
      expect(source.reads).toBe(5);
    });
  });

  describe("when a tenant is evicted while its key is being read", () => {
    it("still answers each caller with its own tenant's key", async () => {
      const { source, keys } = setup({ maxTenants: 1 });
      source.perTenant.set("a", "key-a");
      source.perTenant.set("b", "key-b");
      let open!: () => void;
      source.gate = new Promise((resolve) => (open = resolve));
      const a = keys.getKey({ tenant: "a" });
      const b = keys.getKey({ tenant: "b" });
      source.gate = undefined;
      open();
      expect([(await a).reveal(), (await b).reveal()]).toEqual(["key-a", "key-b"]);
      expect((await keys.getKey({ tenant: "b" })).reveal()).toBe("key-b");
      expect(source.reads).toBe(2);
    });
  });

  describe("when a caller gives up", () => {
    it("rejects that caller only; the shared read goes on", async () => {
      const { source, keys } = setup();
      let open!: () => void;
      source.gate = new Promise((resolve) => (open = resolve));
      const controller = new AbortController();
      const aborted = keys.getKey({ signal: controller.signal });
      const other = keys.getKey();
      controller.abort();
      await expect(aborted).rejects.toMatchObject({ name: "AbortError" });
      open();
      expect((await other).reveal()).toBe("key-one");
      expect(source.reads).toBe(1);
    });
  });

  it("returns a cached provider unchanged", () => {
    const { keys } = setup();
    expect(cached(keys)).toBe(keys);
  });

  it("keeps the source's name and forwards watch and close", async () => {
    const { source, keys } = setup();
    expect(keys.name).toBe("fake");
    expect(keys.watch).toBeDefined();
    await keys.getKey();
    expect(source.listeners.size).toBe(1);
    await keys.close?.();
    expect(source.listeners.size).toBe(0);
    expect(source.closed).toBe(true);
  });

  it("forwards invalidate to the source", async () => {
    const { source, keys } = setup();
    const spy = jest.fn();
    Object.assign(source, { invalidate: spy });
    const key = await keys.getKey();
    keys.invalidate?.(key, { tenant: "x" });
    expect(spy).toHaveBeenCalledWith(key, { tenant: "x" });
  });

  it("validates its options, each bad one a ConfigError", () => {
    const source = new FakeSource();
    expect(() => cached(source, { maxTenants: 0 })).toThrow(ConfigError);
    expect(() => cached(source, { maxUnknownTenants: 0 })).toThrow(ConfigError);
    expect(() => cached(source, { maxUnknownTenants: 1.5 })).toThrow(/maxUnknownTenants/);
    expect(() => cached(source, { ttlMs: -1 })).toThrow(ConfigError);
    expect(() => cached(source, { ttlJitter: 1 })).toThrow(ConfigError);
    expect(() => cached(source, { staleIfErrorMs: Number.NaN })).toThrow(ConfigError);
    expect(() => cached(source, { ttlMs: "5" as unknown as number })).toThrow(/ttlMs/);
    expect(() => cached(source, { onEvent: "log" as unknown as () => void })).toThrow(/onEvent/);
    expect(() => cached(source, { now: 0 as unknown as () => number })).toThrow(/now/);
  });

  it("names the faulty option in the error's variable", () => {
    const source = new FakeSource();
    expect(() => cached(source, { maxTenants: 0 })).toThrow(
      expect.objectContaining({ variable: "maxTenants" }),
    );
    expect(() => cached(source, { ttlJitter: 2 })).toThrow(
      expect.objectContaining({ variable: "ttlJitter" }),
    );
    expect(() => cached(source, { maxUnknownTenants: 2e6 })).toThrow(
      expect.objectContaining({ variable: "maxUnknownTenants" }),
    );
    expect(() => cached(source, { notFoundTtlMs: -1 })).toThrow(
      expect.objectContaining({ variable: "notFoundTtlMs" }),
    );
    expect(() => cached(source, { onEvent: 1 as unknown as () => void })).toThrow(
      expect.objectContaining({ variable: "onEvent" }),
    );
  });

  it("refuses an unknown or misspelt option, naming the one meant", () => {
    expect(() => cached(new FakeSource(), { maxTenant: 5 } as unknown as CachedOptions)).toThrow(
      expect.objectContaining({
        code: "CONFIG",
        variable: "maxTenant",
        message: expect.stringContaining("Did you mean maxTenants?"),
      }),
    );
  });

  describe("when the request is not an object", () => {
    it.each([
      ["a string", "acme"],
      ["null", null],
      ["a number", 42],
    ])(
      "refuses %s even with the key of no tenant cached, instead of serving that key",
      async (_name, request) => {
        const { keys } = setup();
        await keys.getKey();
        await expect(keys.getKey(request as unknown as { tenant: string })).rejects.toThrow(
          /getKey takes a KeyRequest object/,
        );
      },
    );
  });

  it("refuses a tenant bound too large to reserve memory for, instead of running out of it", () => {
    // lru-cache reserves its slots up front: a billion would crash the process.
    expect(() => cached(new FakeSource(), { maxTenants: 1e9 })).toThrow(
      /maxTenants must be a whole number from 1 to 1000000/,
    );
    expect(() => cached(new FakeSource(), { maxTenants: 1_000_000 })).not.toThrow();
  });

  it("says what it needs when given something that is not a provider or options", () => {
    for (const garbage of [undefined, null, 42, "env", {}, { getKey: "x" }]) {
      expect(() => cached(garbage as unknown as KeyProvider)).toThrow(/cached: pass a KeyProvider/);
    }
    expect(() => cached(new FakeSource(), null as unknown as object)).toThrow(
      /cached: the options must be an object/,
    );
  });

  it("survives a listener that throws", async () => {
    const source = new FakeSource();
    const keys = cached(source, {
      onEvent: () => {
        throw new Error("observer bug");
      },
    });
    expect((await keys.getKey()).reveal()).toBe("key-one");
  });
});
