import type { CreatedAccount, SandboxAccount, SandboxKeyInfo } from "./state/account-store.js";
import type { SandboxFaults } from "./state/fault-injector.js";
import type { RateLimitCounts, RequestLog } from "./state/request-log.js";
import type { SendWebhookOptions, WebhookDelivery, WebhookEventInput } from "./webhooks/send-webhook.js";

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

/**
 * A running sandbox: where it listens and the CA to trust, its default account and key, account and key
 * management, the request log, the rate limits' counts, fault injection, webhook delivery, and `close()`.
 *
 * @example
 * ```ts
 * const sandbox: Sandbox = await startSandbox();
 * const client = new OnceHubClient({ keys: staticKey(sandbox.key), baseUrl: sandbox.baseUrl, ca: sandbox.ca });
 * await client.test();
 * expect(sandbox.requests.last()?.fingerprint).toBe(keyFingerprint(sandbox.key));
 * await sandbox.close();
 * ```
 */
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
  /**
   * How many requests each rate limit refused with a 429 since the sandbox started, read live: `account` (the
   * per-account limit) and `ip` (the per-IP limit, when `ipRateLimit` is on). Injected 429s are not counted; the
   * log's `limitedBy` tells the same per request.
   * @example
   * ```ts
   * expect(sandbox.rateLimited).toEqual({ account: 0, ip: 0 }); // a well-paced client is never refused
   * ```
   */
  readonly rateLimited: RateLimitCounts;
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
