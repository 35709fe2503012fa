import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import type { OnceKeyEvent, OnceKeyEventListener, PacingStore } from "@oncekey/core";
import { emitEvent, type Budget, type PacingAnswer, type PacingGrant } from "@oncekey/core/source";
import { AdjustQueue } from "./adjust-queue.js";
import { classifyRedisFailure, type RedisFailure } from "./classify-redis-failure.js";
import { LocalShare, type OwnGrant } from "./fallback/local-share.js";
import type { RedisPacingClient } from "./redis-pacing-options.js";
import { ADJUST_SCRIPT } from "./scripts/adjust-script.js";
import { HEARTBEAT_SCRIPT } from "./scripts/heartbeat-script.js";
import { LuaScript } from "./scripts/lua-script.js";
import { TAKE_SCRIPT } from "./scripts/take-script.js";

const take = new LuaScript(TAKE_SCRIPT);
const adjust = new LuaScript(ADJUST_SCRIPT);
const heartbeat = new LuaScript(HEARTBEAT_SCRIPT);

/**
 * A rate budget's schedule moves when a request reached the wire later than its slack allowed by more than this
 * many ms: a smaller lag is within what a server's limiter tolerates, and not worth a write.
 */
const SHIFT_AFTER_MS = 5;

/** What the store needs to settle a request it let go. */
interface RedisHandle {
  readonly shared: boolean;
  readonly budgets: readonly Budget[];
  /** The request's entry in each window budget's log. */
  readonly member: string;
  /** When it was taken (`performance.now()`): for a shared take, when the script was sent. */
  readonly takenAt: number;
  /** For a shared take, the server's time when it ran the take (ms). */
  readonly serverTakenAt: number;
  readonly slackMs: number;
  readonly own: OwnGrant;
  /** Per budget, the shifts this process had sent for it when the request was taken (see `started`). */
  readonly shifted: readonly number[];
}

/** Everything the store is built from, checked by `redisPacing`. */
export interface RedisStoreSettings {
  readonly client: RedisPacingClient;
  /** Closes the connection the store opened; undefined for a client the app passed. */
  readonly closeClient: (() => Promise<void>) | undefined;
  /** The last error the connection reported, for a command that found it offline. */
  readonly lastConnectionError: () => unknown;
  /** Registers the listener of the connection's errors (none for a client the app passed). */
  readonly onConnectionError: ((listener: (error: unknown) => void) => void) | undefined;
  readonly prefix: string;
  readonly timeoutMs: number;
  /** How long a take waits for Redis's first answer before falling back. */
  readonly startupMs: number;
  readonly heartbeatMs: number;
  readonly fallbackInstances: number | undefined;
  readonly onEvent: OnceKeyEventListener | undefined;
}

/** A reply of the take script that is not one is the mark of a server that is not Redis. */
class PacingReplyError extends Error {
  override readonly name = "PacingReplyError";
}

/**
 * The Redis pacing store: every budget lives in Redis and one Lua script takes from all of a request's budgets
 * at once on the server's clock, so every process of a fleet shares them exactly. When Redis fails or is slower
 * than `timeoutMs`, the process paces with its local share of each budget ({@link LocalShare}) and says so
 * (`pacing:fallback`); a heartbeat notices Redis is back, writes back what the process sent meanwhile, and
 * returns to the shared budgets (`pacing:recovered`).
 */
export class RedisPacingStore implements PacingStore {
  readonly name = "redis";
  readonly #settings: RedisStoreSettings;
  readonly #id = randomUUID().slice(0, 13);
  readonly #local = new LocalShare();
  readonly #listeners = new Set<OnceKeyEventListener>();
  #seq = 0;
  /** The takes of this turn of the event loop, sent together. */
  #batch: { budgets: readonly Budget[]; member: string; resolve: (answer: PacingAnswer) => void }[] = [];
  /** Budget name → Redis key. */
  readonly #keys = new Map<string, string>();
  /** Rate budget name → the total of the schedule shifts this process sent for it, in ms. */
  readonly #shifts = new Map<string, number>();
  #shared = true;
  #instances = 1;
  #heartbeatTimer: NodeJS.Timeout | undefined;
  readonly #adjustments: AdjustQueue;
  #recovering = false;
  #closed = false;
  /** Whether Redis ever answered: until then a take waits for the first connection, up to `startupMs`. */
  #contacted = false;
  #firstContact: Promise<void>;
  #onFirstContact: () => void = () => undefined;
  #onFirstFailure: (error: unknown) => void = () => undefined;

  constructor(settings: RedisStoreSettings) {
    this.#settings = settings;
    this.#adjustments = new AdjustQueue(settings.client, () => this.#shared);
    this.#instances = settings.fallbackInstances ?? 1;
    this.#firstContact = new Promise((resolve, reject) => {
      this.#onFirstContact = resolve;
      this.#onFirstFailure = reject;
    });
    // Nobody may be waiting for it yet.
    this.#firstContact.catch(() => undefined);
    // A first connection that fails (refused, wrong password, not Redis) ends the start-up wait at once.
    settings.onConnectionError?.((error) => {
      if (!this.#contacted) this.#onFirstFailure(error);
    });
    this.#scheduleHeartbeat(0);
  }

  /** Whether the store paces with the shared budgets (false: with its local share, Redis being unreachable). */
  get shared(): boolean {
    return this.#shared;
  }

  /** The instances sharing the budgets, as last seen in Redis (or `fallbackInstances`). */
  get instances(): number {
    return this.#instances;
  }

  take(budgets: readonly Budget[]): PacingAnswer | Promise<PacingAnswer> {
    // One request is one entry, under one name, in each window budget's log.
    const member = `${this.#id}:${(this.#seq++).toString(36)}`;
    if (!this.#shared) return this.#takeLocally(budgets, member);
    return this.#takeShared(budgets, member);
  }

  started(grant: PacingGrant): void {
    const handle = grant.handle as RedisHandle;
    if (!handle.shared) return;
    // OnceHub's limiter counts the request from its arrival: when that is later than the slack allowed, the
    // account's schedule moves as much.
    // Requests released together and late together move it once: a shift sent since this one was taken already
    // covers as much of its lateness (as the in-process store counts), else a burst would add up its lateness.
    const excess = performance.now() - handle.takenAt - handle.slackMs;
    if (excess <= SHIFT_AFTER_MS) return;
    handle.budgets.forEach((budget, i) => {
      if (budget.limit.kind !== "rate") return;
      const total = this.#shifts.get(budget.name) ?? 0;
      const uncovered = excess - (total - (handle.shifted[i] as number));
      if (uncovered <= SHIFT_AFTER_MS) return;
      if (this.#shifts.size >= 10_000 && !this.#shifts.has(budget.name)) this.#shifts.clear();
      this.#shifts.set(budget.name, total + uncovered);
      this.#adjustments.push(this.#key(budget.name), "s", uncovered.toFixed(3), "0");
    });
  }

  finished(grant: PacingGrant, sent: boolean): void {
    const handle = grant.handle as RedisHandle;
    const now = performance.now();
    this.#local.finished(handle.own, sent, now);
    if (!handle.shared) return;
    // A window entry was entered a margin ahead; an answer later than that moves it to the answer's server time,
    // timed from when the take was sent (so never earlier than the server saw it). One that never left frees it.
    const late = now - handle.takenAt;
    for (const budget of handle.budgets) {
      if (budget.limit.kind !== "window") continue;
      const key = this.#key(budget.name);
      if (!sent) this.#adjustments.push(key, "x", handle.member, "0");
      else if (late > budget.limit.holdMs - budget.limit.windowMs) {
        this.#adjustments.push(key, "p", handle.member, (handle.serverTakenAt + late).toFixed(3));
      }
    }
  }

  drain(budget: Budget): void {
    if (budget.limit.kind !== "rate") return;
    this.#local.drain(budget, performance.now());
    if (this.#shared) {
      const interval = 1000 / budget.limit.perSecond;
      this.#adjustments.push(this.#key(budget.name), "e", String(budget.limit.burst), String(interval));
    }
  }

  listen(listener: OnceKeyEventListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#heartbeatTimer);
    this.#adjustments.close();
    this.#listeners.clear();
    await this.#settings.closeClient?.();
  }

  #takeShared(budgets: readonly Budget[], member: string): Promise<PacingAnswer> {
    return new Promise((resolve) => {
      this.#batch.push({ budgets, member, resolve });
      if (this.#batch.length === 1) setImmediate(this.#sendBatch);
    });
  }

  /**
   * Sends the takes asked for in this turn of the event loop as one script call: one round trip and one command
   * for all of them, which keeps the client's cost per request close to the in-process store's.
   */
  readonly #sendBatch = async (): Promise<void> => {
    const batch = this.#batch;
    this.#batch = [];
    const keys: string[] = [];
    const args: string[] = [];
    for (const { budgets, member } of batch) {
      let take = member;
      for (const budget of budgets) {
        const key = this.#key(budget.name);
        let index = keys.indexOf(key);
        if (index === -1) index = keys.push(key) - 1;
        take += `|${index + 1}|${budgetArgs(budget)}`;
      }
      args.push(take);
    }
    let reply: unknown;
    let sentAt = 0;
    try {
      if (!this.#contacted) await this.#awaitFirstContact();
      sentAt = performance.now();
      reply = await take.run(this.#settings.client, keys, args);
      if (!isTakeReply(reply, batch)) throw new PacingReplyError("not a reply of the take script");
    } catch (error) {
      this.#fallBack(error);
      for (const { budgets, member, resolve } of batch) resolve(this.#takeLocally(budgets, member));
      return;
    }
    const now = performance.now();
    const serverNow = Number(reply[batch.length * 3]);
    batch.forEach(({ budgets, member, resolve }, i) => {
      const granted = reply[i * 3];
      const value = Number(reply[i * 3 + 1]);
      if (granted !== 1) {
        const refused = budgets[(reply[i * 3 + 2] as number) - 1] as Budget;
        resolve({ granted: false, budget: refused.name, retryInMs: Math.max(1, Math.ceil(value)) });
        return;
      }
      const own = this.#local.record(budgets, member, now);
      // Timed from when the take was sent, not answered: the server took it in between, so a lateness measured
      // from then never falls short of the server's, however long the answer took to be read.
      const handle: RedisHandle = {
        shared: true,
        budgets,
        member,
        takenAt: sentAt,
        serverTakenAt: serverNow,
        slackMs: value,
        own,
        shifted: budgets.map((budget) => this.#shifts.get(budget.name) ?? 0),
      };
      resolve({ granted: true, slackMs: value, handle });
    });
  };

  #takeLocally(budgets: readonly Budget[], member: string): PacingAnswer {
    const now = performance.now();
    const answer = this.#local.take(budgets, member, now);
    if (!answer.granted) return answer;
    const handle: RedisHandle = {
      shared: false,
      serverTakenAt: 0,
      budgets,
      member,
      takenAt: now,
      slackMs: answer.slackMs,
      own: answer.handle as OwnGrant,
      shifted: NONE_SHIFTED,
    };
    return { granted: true, slackMs: answer.slackMs, handle };
  }

  #fallBack(error: unknown): void {
    if (!this.#shared || this.#closed) return;
    this.#shared = false;
    const now = performance.now();
    this.#local.begin(now, this.#instances);
    // A connection that failed says more than the command that timed out waiting for it.
    const failure: RedisFailure = classifyRedisFailure(this.#settings.lastConnectionError() ?? error);
    this.#emit({
      type: "pacing:fallback",
      time: Date.now(),
      store: this.name,
      reason: failure.reason,
      message: `${failure.message} Pacing with this process's share (1/${this.#instances}) of each budget until Redis answers again.`,
      instances: this.#instances,
    });
    // Check for Redis's return sooner than a full heartbeat.
    this.#scheduleHeartbeat(Math.min(this.#settings.heartbeatMs, 1_000));
  }

  /**
   * Waits for the first heartbeat's answer, which also tells how many instances share the budgets: a process
   * starting with Redis must not begin on a share computed without knowing them. A Redis that does not answer
   * within `startupMs` is a fallback, as at any other time.
   */
  async #awaitFirstContact(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(Object.assign(new Error("no answer from Redis at start-up"), { name: "TimeoutError" })),
        this.#settings.startupMs,
      );
    });
    try {
      await Promise.race([this.#firstContact, late]);
    } finally {
      clearTimeout(timer);
    }
  }

  #scheduleHeartbeat(delayMs: number): void {
    if (this.#closed) return;
    clearTimeout(this.#heartbeatTimer);
    this.#heartbeatTimer = setTimeout(() => void this.#beat(), delayMs);
    // Announcing itself must not keep an otherwise finished process alive.
    this.#heartbeatTimer.unref();
  }

  async #beat(): Promise<void> {
    const { heartbeatMs } = this.#settings;
    try {
      const reply = await heartbeat.run(
        this.#settings.client,
        [`${this.#settings.prefix}instances`],
        [this.#id, String(heartbeatMs * 3)],
      );
      if (!Array.isArray(reply) || typeof reply[0] !== "number")
        throw new PacingReplyError("not a heartbeat");
      this.#instances = this.#settings.fallbackInstances ?? Math.max(1, reply[0]);
      if (!this.#contacted) {
        this.#contacted = true;
        this.#onFirstContact();
      }
      if (!this.#shared) await this.#recover();
    } catch (error) {
      this.#fallBack(error);
    } finally {
      this.#scheduleHeartbeat(this.#shared ? heartbeatMs : Math.min(heartbeatMs, 1_000));
    }
  }

  /**
   * Redis answers again: writes back what this process sent on its share (its window entries, on the server's
   * clock; its accounts emptied, as they may have been used to the limit), then paces with the shared budgets.
   */
  async #recover(): Promise<void> {
    if (this.#recovering) return;
    this.#recovering = true;
    try {
      const now = performance.now();
      const since = this.#local.since;
      await this.#writeBack(now, -Infinity, since - 1_000);
      // What the process took on its share while that write was on its way: written back too, before any take
      // on the shared budgets (one connection runs its commands in order), so no request goes uncounted.
      const late = this.#writeBack(performance.now(), now, now);
      this.#shared = true;
      await late.catch(() => undefined);
      this.#emit({
        type: "pacing:recovered",
        time: Date.now(),
        store: this.name,
        downForMs: Math.round(now - since),
      });
    } finally {
      this.#recovering = false;
    }
  }

  /**
   * Writes back this process's window entries taken at or after `from`, on the server's clock (the script adds
   * the age of each entry to its own `now`, so no clock offset is needed), and empties the accounts it used since
   * `usedSince` (they may have been used to the limit). A long outage under load leaves hundreds of thousands of
   * entries: they go in commands of {@link WRITE_BACK_OPS} operations, all sent at once and in order (the caller
   * relies on that order), each short for Redis to run. Sent again after a failure, they change nothing twice: an
   * entry is added only if missing, an account emptied again stays empty.
   */
  #writeBack(now: number, from: number, usedSince: number): Promise<unknown> {
    const commands: { keys: string[]; args: string[] }[] = [];
    let command: { keys: string[]; args: string[] } | undefined;
    let last: string | undefined;
    const add = (name: string, op: string): void => {
      if (command === undefined || command.args.length >= WRITE_BACK_OPS) {
        command = { keys: [], args: [] };
        commands.push(command);
        last = undefined;
      }
      if (name !== last) {
        command.keys.push(this.#key(name));
        last = name;
      }
      command.args.push(`${command.keys.length}|${op}`);
    };
    for (const [name, entries] of this.#local.windows(now))
      for (const entry of entries)
        if (entry.time >= from) add(name, `a|${entry.member}|${(entry.time - now).toFixed(3)}`);
    for (const [name, limit] of this.#local.ratesUsedSince(usedSince))
      add(name, `e|${limit.burst}|${1000 / limit.perSecond}`);
    return Promise.all(commands.map(({ keys, args }) => adjust.run(this.#settings.client, keys, args)));
  }

  #key(name: string): string {
    let key = this.#keys.get(name);
    if (key === undefined) {
      key = `${this.#settings.prefix}${name}`;
      if (this.#keys.size >= 10_000) this.#keys.clear();
      this.#keys.set(name, key);
    }
    return key;
  }

  #emit(event: OnceKeyEvent): void {
    emitEvent(event, this.#settings.onEvent);
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch {
        // An observer must never break pacing.
      }
    }
  }
}

/**
 * The most operations one write-back command carries: a few milliseconds of Redis's time, and far from what a
 * call can spread into its arguments (a write-back of 200,000 entries in one command overflowed the stack).
 */
const WRITE_BACK_OPS = 1_000;

/** The shifts of a take on the local share: none is sent for it. */
const NONE_SHIFTED: readonly number[] = [];

const argsOf = new WeakMap<Budget, string>();

/** A budget's part of a take (see the take script), made once per budget object. */
function budgetArgs(budget: Budget): string {
  let args = argsOf.get(budget);
  if (args === undefined) {
    const limit = budget.limit;
    args =
      limit.kind === "rate"
        ? `r|${1000 / limit.perSecond}|${limit.burst}`
        : `w|${limit.requests}|${limit.holdMs}|${limit.holdMs - limit.windowMs}`;
    argsOf.set(budget, args);
  }
  return args;
}

/** Whether `reply` answers each take of `batch`, a refusal naming one of the take's own budgets (1-based). */
function isTakeReply(
  reply: unknown,
  batch: readonly { budgets: readonly Budget[] }[],
): reply is (number | string)[] {
  const takes = batch.length;
  if (!Array.isArray(reply) || reply.length !== takes * 3 + 1) return false;
  if (typeof reply[takes * 3] !== "string" || !Number.isFinite(Number(reply[takes * 3]))) return false;
  for (let i = 0; i < takes; i++) {
    const granted: unknown = reply[i * 3];
    if ((granted !== 0 && granted !== 1) || typeof reply[i * 3 + 1] !== "string") return false;
    if (!Number.isFinite(Number(reply[i * 3 + 1]))) return false;
    const refused: unknown = reply[i * 3 + 2];
    if (typeof refused !== "number") return false;
    const budgets = (batch[i] as { budgets: readonly Budget[] }).budgets.length;
    if (granted === 0 && !(Number.isInteger(refused) && refused >= 1 && refused <= budgets)) return false;
  }
  return true;
}
