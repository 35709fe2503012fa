import { createServer } from "node:https";
import { performance } from "node:perf_hooks";
import { optionsObject } from "../options/check-option-names.js";
import { windowLimitOption } from "../options/window-limit-option.js";
import { listenLoopback } from "../server/listen-loopback.js";
import { TimerSet } from "../server/timer-set.js";
import { BoundedLog } from "../state/bounded-log.js";
import { createTlsMaterial } from "../tls/create-tls-material.js";
import { guardHandler } from "../server/guard-handler.js";
import { handleVaultRequest, VAULT_FAILURE } from "./server/handle-vault-request.js";
import { SecretStore } from "./state/secret-store.js";
import type { FakeKeyVaultSecretOptions } from "./state/secret-version-options.js";
import { createAccessPolicy, type FakeKeyVaultTokenGrant } from "./state/vault-access.js";
import type { FakeKeyVaultCall, FakeKeyVaultCalls } from "./state/vault-calls.js";
import { VaultFaultQueue, type FakeKeyVaultFaults, type VaultFaultTarget } from "./state/vault-faults.js";
import { shownValue } from "../options/shown-value.js";

/**
 * The fake vault's throttle: at most `requests` requests in any `windowMs` (a sliding window). Either field left
 * out takes Key Vault's documented limit for secret transactions (reads and writes alike).
 *
 * @example
 * ```ts
 * const vault = await startFakeKeyVault({ throttle: { requests: 40, windowMs: 100 } }); // scaled down
 * ```
 */
export interface FakeKeyVaultThrottleOptions {
  /** Requests the vault serves in any window. @defaultValue 4000 (Key Vault's limit for secret transactions per vault) */
  readonly requests?: number;
  /** The window's length in milliseconds. @defaultValue 10000 (Key Vault's 10 seconds) */
  readonly windowMs?: number;
}

/** Key Vault's documented service limit for secret transactions: 4,000 per 10 seconds per vault. */
const KEY_VAULT_SECRET_LIMIT = { requests: 4_000, windowMs: 10_000 };

const OPTION_NAMES = ["port", "name", "tenantId", "resource", "tokens", "throttle"] as const;

/**
 * Options of {@link startFakeKeyVault}.
 *
 * @example
 * ```ts
 * const vault = await startFakeKeyVault({ name: "acme-prod", tokens: { "token-a": { permissions: ["get"] } } });
 * ```
 */
export interface FakeKeyVaultOptions {
  /** TCP port on 127.0.0.1. @defaultValue `0` (any free port) */
  readonly port?: number;
  /** The vault's name, as Key Vault quotes it in 403 messages. @defaultValue `"oncekey-fake"` */
  readonly name?: string;
  /** The directory tenant named in the challenge's `authorization` URL. @defaultValue `"00000000-0000-0000-0000-000000000000"` */
  readonly tenantId?: string;
  /** The challenge's `resource`; the client asks its credential for `<resource>/.default`. @defaultValue `"https://vault.azure.net"` */
  readonly resource?: string;
  /**
   * The bearer tokens the vault accepts, each with its grant; any other token gets 401.
   * @defaultValue every token is accepted with `get`, `list` and `set`
   */
  readonly tokens?: Readonly<Record<string, FakeKeyVaultTokenGrant>>;
  /**
   * Key Vault's throttling, imitated when given: at most `requests` requests that carry a token (reads and writes
   * alike) in any `windowMs`
   * milliseconds (a sliding window, the strictest reading of Key Vault's "4,000 per 10 seconds"), past which it
   * answers 429 `Throttled` with Key Vault's error body and `Retry-After` (the seconds until a request would
   * pass), as the service does. Requests it refuses are not counted; injected faults neither count nor are
   * throttled. Off by default.
   * @defaultValue false
   * @example
   * ```ts
   * const vault = await startFakeKeyVault({ throttle: {} }); // Key Vault's 4,000 per 10 s
   * // later: vault.throttled is how many requests it refused
   * ```
   */
  readonly throttle?: FakeKeyVaultThrottleOptions | false;
}

/**
 * A running fake Azure Key Vault: its URL and CA for a `SecretClient`, secrets to set, the calls it received,
 * faults to inject, and `close()`.
 *
 * @example
 * ```ts
 * const vault: FakeKeyVault = await startFakeKeyVault();
 * vault.setSecret("oncehub-api-key", "key-1");
 * expect(vault.calls.count({ secret: "oncehub-api-key", status: 200 })).toBe(0);
 * await vault.close();
 * ```
 */
export interface FakeKeyVault {
  /** The vault URL to give `SecretClient`, e.g. `https://127.0.0.1:53211` (no trailing slash). */
  readonly url: string;
  /** PEM of the private CA that signed the vault's certificate: pass it as `tlsOptions: { ca }`. */
  readonly ca: string;
  /**
   * Adds a version of `name` (creating the secret) and returns the new version id; it becomes the latest. Unlike
   * a client's `PUT`, it can set the version's `createdOn`/`updatedOn` (for tests of code that judges a key's
   * age), and it is not logged in `calls`.
   * @throws TypeError when `name` is not 1-127 letters, digits and dashes, `value` exceeds 25 KiB, or an option
   *   is unknown or of the wrong type; RangeError for an invalid date, a time in the future, or `updatedOn`
   *   before `createdOn`.
   */
  setSecret(name: string, value: string, options?: FakeKeyVaultSecretOptions): string;
  /** Deletes the secret and all its versions (reads then answer 404 `SecretNotFound`); returns whether it existed. */
  deleteSecret(name: string): boolean;
  /** Every request received, without values or tokens. */
  readonly calls: FakeKeyVaultCalls;
  /** Failures to serve to the next requests. */
  readonly faults: FakeKeyVaultFaults;
  /** How many requests the throttle (`throttle` option) refused with a 429 since the vault started. */
  readonly throttled: number;
  /** Stops listening and destroys every connection (keep-alive sockets, handshakes in progress); safe to call twice. */
  close(): Promise<void>;
}

/**
 * Starts an HTTPS imitation of Azure Key Vault's secret reads and writes, for tests that drive the real
 * `SecretClient`.
 *
 * It serves `GET /secrets/{name}/{version?}`, `GET /secrets/{name}/versions` and `PUT /secrets/{name}` (the SDK's
 * `getSecret`, `listPropertiesOfSecretVersions` and `setSecret`) with the service's JSON shapes and errors: a
 * request without a token gets 401 and a `WWW-Authenticate: Bearer authorization=…, resource=…` challenge; a
 * granted token reads and writes secrets; a token without the permission an operation needs (`get`, `list`,
 * `set`) gets 403 `Forbidden`; an unknown name or version 404 `SecretNotFound`; a disabled latest (or requested)
 * version 403 `Forbidden`/`SecretDisabled`. A `PUT` of `{ value, contentType?, tags?, attributes? }` adds a new
 * version, the latest, and answers 200 with its secret bundle; a body without a string `value` is 400
 * `BadParameter`.
 * Like Key Vault, it serves expired and not-yet-valid versions and reports `exp`/`nbf` in `attributes`.
 * Names are compared case-insensitively. Nothing leaves 127.0.0.1.
 *
 * @param options - Port, naming and the tokens to accept; see {@link FakeKeyVaultOptions}.
 * @returns The running vault; call `close()` when done.
 * @example
 * ```ts
 * const vault = await startFakeKeyVault();
 * vault.setSecret("oncehub-api-key", "key-1");
 * const credential = { getToken: async () => ({ token: "t", expiresOnTimestamp: Date.now() + 3_600_000 }) };
 * const client = new SecretClient(vault.url, credential, {
 *   disableChallengeResourceVerification: true,
 *   tlsOptions: { ca: vault.ca },
 * });
 * (await client.getSecret("oncehub-api-key")).value; // "key-1"
 * await client.setSecret("oncehub-api-key", "key-2"); // a new version, the latest
 * await vault.close();
 * ```
 */
export async function startFakeKeyVault(given?: FakeKeyVaultOptions): Promise<FakeKeyVault> {
  const options = optionsObject("startFakeKeyVault", given, OPTION_NAMES);
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new RangeError(
      `startFakeKeyVault: port must be an integer from 0 to 65535, got ${shownValue(port)}.`,
    );
  for (const name of ["name", "tenantId", "resource"] as const) {
    const value = options[name];
    if (value !== undefined && (typeof value !== "string" || value === ""))
      throw new TypeError(`startFakeKeyVault: ${name} must be a non-empty string.`);
  }
  if (options.tokens !== undefined && (typeof options.tokens !== "object" || options.tokens === null))
    throw new TypeError("startFakeKeyVault: tokens must map each accepted token to its grant.");
  const limit = windowLimitOption("startFakeKeyVault: throttle", options.throttle, KEY_VAULT_SECRET_LIMIT);
  const tenantId = options.tenantId ?? "00000000-0000-0000-0000-000000000000";
  const resource = options.resource ?? "https://vault.azure.net";
  const authorize = createAccessPolicy(options.tokens, tenantId);
  const tls = await createTlsMaterial("oncekey fake key vault");
  const store = new SecretStore();
  const calls = new BoundedLog<FakeKeyVaultCall>(100_000);
  const faults = new VaultFaultQueue();
  const timers = new TimerSet();
  let url = "";
  let throttled = 0;
  const context = {
    store,
    vaultUrl: () => url,
    vaultName: options.name ?? "oncekey-fake",
    challenge: `Bearer authorization="https://login.microsoftonline.com/${tenantId}", resource="${resource}"`,
    authorize,
    takeFault: (target: VaultFaultTarget) => faults.take(target),
    throttle() {
      const waitMs = limit?.take("vault", performance.now()) ?? 0;
      if (waitMs > 0) throttled += 1;
      return waitMs;
    },
    record: (call: FakeKeyVaultCall) => calls.record(Object.freeze(call)),
    timers,
  };
  const server = createServer(
    { cert: tls.cert, key: tls.key },
    guardHandler((req, res) => handleVaultRequest(context, req, res), VAULT_FAILURE),
  );
  const listener = await listenLoopback(server, port);
  url = `https://127.0.0.1:${listener.port}`;
  return {
    url,
    ca: tls.ca,
    setSecret: (name, value, secretOptions) => store.set(name, value, secretOptions),
    deleteSecret: (name) => store.delete(name),
    calls,
    faults,
    get throttled() {
      return throttled;
    },
    close() {
      faults.clear();
      timers.clear();
      return listener.close();
    },
  };
}
