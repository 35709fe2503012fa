import { createServer as createHttpServer } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import { listenLoopback, type LoopbackListener } from "../server/listen-loopback.js";
import { TimerSet } from "../server/timer-set.js";
import { BoundedLog } from "../state/bounded-log.js";
import { createTlsMaterial } from "../tls/create-tls-material.js";
import { createApiHandler, type SandboxContext } from "./server/create-api-handler.js";
import { createPlainHandler } from "./server/create-plain-handler.js";
import {
  AccountStore,
  type CreatedAccount,
  type SandboxAccount,
  type SandboxKeyInfo,
} from "./state/account-store.js";
import { FaultInjector, type SandboxFaults } from "./state/fault-injector.js";
import { createRequestIds } from "./state/ids.js";
import type { LoggedRequest, RequestLog } from "./state/request-log.js";
import { TokenBucket } from "./state/token-bucket.js";
import {
  sendWebhook,
  type SendWebhookOptions,
  type WebhookDelivery,
  type WebhookEventInput,
} from "./webhooks/send-webhook.js";

/** The sandbox's per-account rate limit, when more than a number is needed. */
export interface RateLimitOptions {
  /** Sustained requests per second per account. @defaultValue 5 (OnceHub's documented limit) */
  readonly requestsPerSecond?: number;
  /** Requests allowed at once from a full bucket. @defaultValue `requestsPerSecond` */
  readonly burst?: number;
  /** Network jitter forgiven: a request this much early still passes. @defaultValue 100 */
  readonly toleranceMs?: number;
}

/** Options of {@link startSandbox}. */
export interface StartSandboxOptions {
  /** HTTPS port on 127.0.0.1. @defaultValue 0 (any free port) */
  readonly port?: number;
  /** Plain-HTTP port on 127.0.0.1. @defaultValue 0 (any free port) */
  readonly plainPort?: number;
  /** Requests per second per account (a token bucket), an object for more control, or `false` for none. @defaultValue 5 */
  readonly rateLimit?: number | false | RateLimitOptions;
  /** Bookings seeded into every account. @defaultValue 37 */
  readonly bookings?: number;
  /**
   * A `Retry-After` header on rate-limit 429s, which OnceHub does not document: `true` for the seconds until the
   * next request would pass, a number for a fixed value, `false` for none. @defaultValue false
   */
  readonly retryAfter?: number | boolean;
  /** The default account's email. @defaultValue "admin@example.com" */
  readonly email?: string;
  /** Most entries the request log keeps; older ones are dropped. @defaultValue 100000 */
  readonly requestLogLimit?: number;
}

/** Account management. */
export interface SandboxAccounts {
  /**
   * Creates an account with a first key. `apiAccess: false` makes an account whose plan lacks API access: its
   * keys are valid but every API call gets OnceHub's 403.
   */
  create(email?: string, options?: { readonly apiAccess?: boolean }): CreatedAccount;
  /** The account with this id, if any. */
  get(accountId: string): SandboxAccount | undefined;
}

/** Key management, as in OnceHub's UI (OnceHub has no API for it). Throws for an unknown account or key. */
export interface SandboxKeys {
  /** A new key for the account, returned raw once and stored hashed; at most 25 active keys per account. */
  create(accountId: string, name?: string): string;
  /** Deletes a key: requests with it get 401 at once. */
  delete(key: string): void;
  /** Deletes a key and returns a new one with the same name and account: the old key gets 401 at once. */
  regenerate(key: string): string;
  /** The account's active keys, by fingerprint, oldest first. */
  list(accountId: string): SandboxKeyInfo[];
}

/** A running sandbox. */
export interface Sandbox {
  /** The HTTPS origin, e.g. `https://127.0.0.1:43123` (no path). */
  readonly url: string;
  /** `url + "/v2"`: what a client takes as its base URL. */
  readonly baseUrl: string;
  /** PEM of the private CA that signed the server's certificate: pass it as a client's `ca`. */
  readonly ca: string;
  /** The plain-HTTP origin, which fails every request and logs it with `plain: true`. */
  readonly plainUrl: string;
  /** The default account. */
  readonly account: SandboxAccount;
  /** The default account's first key (raw). */
  readonly key: string;
  readonly accounts: SandboxAccounts;
  readonly keys: SandboxKeys;
  /** What arrived, in order, by key fingerprint. */
  readonly requests: RequestLog;
  /** Failure injection for the API routes. */
  readonly faults: SandboxFaults;
  /** {@link sendWebhook}: POSTs a signed event, as OnceHub delivers webhooks. */
  sendWebhook(
    url: string,
    event: string | WebhookEventInput,
    secret: string,
    options?: SendWebhookOptions,
  ): Promise<WebhookDelivery>;
  /** Stops both listeners, drops open connections and pending faults; resolves when closed. Safe to call twice. */
  close(): Promise<void>;
}

function checkInteger(name: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(
      `startSandbox: ${name} must be an integer from ${min} to ${max}, got ${String(value)}.`,
    );
  }
  return value;
}

function bucketFactory(rateLimit: StartSandboxOptions["rateLimit"]): () => TokenBucket | undefined {
  if (rateLimit === false) return () => undefined;
  if (
    rateLimit !== undefined &&
    typeof rateLimit !== "number" &&
    (typeof rateLimit !== "object" || rateLimit === null)
  )
    throw new TypeError("startSandbox: rateLimit is requests per second, an options object, or false.");
  const options = typeof rateLimit === "number" ? { requestsPerSecond: rateLimit } : (rateLimit ?? {});
  const rate = options.requestsPerSecond ?? 5;
  const burst = options.burst ?? rate;
  const tolerance = options.toleranceMs ?? 100;
  if (!(rate > 0 && Number.isFinite(rate)))
    throw new RangeError(`startSandbox: rateLimit must be > 0 or false, got ${rate}.`);
  if (!(burst >= 1 && Number.isFinite(burst)))
    throw new RangeError(`startSandbox: rateLimit burst must be >= 1, got ${burst}.`);
  if (!(tolerance >= 0 && Number.isFinite(tolerance)))
    throw new RangeError("startSandbox: rateLimit toleranceMs must be >= 0.");
  return () => new TokenBucket(rate, burst, tolerance, Date.now());
}

/**
 * Starts a local imitation of the OnceHub v2 API over HTTPS on 127.0.0.1, with its own throwaway CA, a default
 * account and key, seeded bookings, webhooks, OnceHub's errors and rate limit, a request log and fault injection.
 *
 * Imports nothing from `@oncekey/core`, so a bug shared by a client and this server cannot hide.
 *
 * @param options - see {@link StartSandboxOptions}
 * @example
 * ```ts
 * const sandbox = await startSandbox({ rateLimit: false });
 * const dispatcher = new Agent({ connect: { ca: sandbox.ca } });
 * const res = await request(`${sandbox.baseUrl}/test`, { headers: { "API-Key": sandbox.key }, dispatcher });
 * // 200 { message: "The API key is valid for account: admin@example.com" }
 * await sandbox.close();
 * ```
 */
export async function startSandbox(options: StartSandboxOptions = {}): Promise<Sandbox> {
  if (typeof options !== "object" || options === null)
    throw new TypeError("startSandbox: options must be an object (or left out).");
  const port = checkInteger("port", options.port ?? 0, 0, 65_535);
  const plainPort = checkInteger("plainPort", options.plainPort ?? 0, 0, 65_535);
  const bookings = checkInteger("bookings", options.bookings ?? 37, 0, 100_000);
  const logLimit = checkInteger("requestLogLimit", options.requestLogLimit ?? 100_000, 1, 10_000_000);
  const retryAfter = options.retryAfter ?? false;
  if (typeof retryAfter === "number") checkInteger("retryAfter", retryAfter, 0, 86_400);
  // Anything else would be sent as the header's text.
  else if (typeof retryAfter !== "boolean")
    throw new TypeError("startSandbox: retryAfter is true, false or whole seconds.");

  const store = new AccountStore({ bookings, createBucket: bucketFactory(options.rateLimit) });
  const faults = new FaultInjector();
  const log = new BoundedLog<LoggedRequest>(logLimit);
  const timers = new TimerSet();
  const context: SandboxContext = {
    store,
    log,
    faults,
    timers,
    nextRequestId: createRequestIds(),
    retryAfter,
    origin: "",
    plainOrigin: "",
  };
  const { id, email, key } = store.createAccount(options.email ?? "admin@example.com");

  const tls = await createTlsMaterial("oncekey sandbox");
  const https = await listenLoopback(
    createHttpsServer({ cert: tls.cert, key: tls.key }, createApiHandler(context)),
    port,
  );
  let plain: LoopbackListener;
  try {
    plain = await listenLoopback(createHttpServer(createPlainHandler(context)), plainPort);
  } catch (error) {
    await https.close();
    throw error;
  }
  context.origin = `https://127.0.0.1:${https.port}`;
  context.plainOrigin = `http://127.0.0.1:${plain.port}`;

  let closing: Promise<void> | undefined;
  return {
    url: context.origin,
    baseUrl: `${context.origin}/v2`,
    ca: tls.ca,
    plainUrl: context.plainOrigin,
    account: { id, email },
    key,
    accounts: {
      create: (accountEmail, accountOptions) => store.createAccount(accountEmail, accountOptions),
      get: (accountId) => store.getAccount(accountId),
    },
    keys: {
      create: (accountId, name) => store.createKey(accountId, name),
      delete: (raw) => store.deleteKey(raw),
      regenerate: (raw) => store.regenerateKey(raw),
      list: (accountId) => store.listKeys(accountId),
    },
    requests: log,
    faults,
    sendWebhook,
    close() {
      closing ??= (async () => {
        faults.clear();
        timers.clear();
        await Promise.all([https.close(), plain.close()]);
      })();
      return closing;
    },
  };
}
