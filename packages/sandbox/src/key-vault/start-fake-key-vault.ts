import { createServer } from "node:https";
import { listenLoopback } from "../server/listen-loopback.js";
import { TimerSet } from "../server/timer-set.js";
import { BoundedLog } from "../state/bounded-log.js";
import { createTlsMaterial } from "../tls/create-tls-material.js";
import { guardHandler } from "../server/guard-handler.js";
import { handleVaultRequest, VAULT_FAILURE } from "./handle-vault-request.js";
import { SecretStore, type FakeKeyVaultSecretOptions } from "./secret-store.js";
import { createAccessPolicy, type FakeKeyVaultTokenGrant } from "./vault-access.js";
import type { FakeKeyVaultCall, FakeKeyVaultCalls } from "./vault-calls.js";
import { VaultFaultQueue, type FakeKeyVaultFaults } from "./vault-faults.js";

/** Options of {@link startFakeKeyVault}. */
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
   * @defaultValue every token is accepted with `get` and `list`
   */
  readonly tokens?: Readonly<Record<string, FakeKeyVaultTokenGrant>>;
}

/** A running fake Azure Key Vault. */
export interface FakeKeyVault {
  /** The vault URL to give `SecretClient`, e.g. `https://127.0.0.1:53211` (no trailing slash). */
  readonly url: string;
  /** PEM of the private CA that signed the vault's certificate: pass it as `tlsOptions: { ca }`. */
  readonly ca: string;
  /**
   * Adds a version of `name` (creating the secret) and returns the new version id; it becomes the latest.
   * @throws TypeError when `name` is not 1-127 letters, digits and dashes, or `value` exceeds 25 KiB.
   */
  setSecret(name: string, value: string, options?: FakeKeyVaultSecretOptions): string;
  /** Deletes the secret and all its versions (reads then answer 404 `SecretNotFound`); returns whether it existed. */
  deleteSecret(name: string): boolean;
  /** Every request received, without values or tokens. */
  readonly calls: FakeKeyVaultCalls;
  /** Failures to serve to the next requests. */
  readonly faults: FakeKeyVaultFaults;
  /** Stops listening and destroys every connection (keep-alive sockets, handshakes in progress); safe to call twice. */
  close(): Promise<void>;
}

/**
 * Starts an HTTPS imitation of Azure Key Vault's secret reads, for tests that drive the real `SecretClient`.
 *
 * It serves `GET /secrets/{name}/{version?}` and `GET /secrets/{name}/versions` with the service's JSON shapes
 * and errors: a request without a token gets 401 and a `WWW-Authenticate: Bearer authorization=…, resource=…`
 * challenge; a granted token reads secrets; a token without `get` gets 403 `Forbidden`; an unknown name or
 * version 404 `SecretNotFound`; a disabled latest (or requested) version 403 `Forbidden`/`SecretDisabled`.
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
 * await vault.close();
 * ```
 */
export async function startFakeKeyVault(options: FakeKeyVaultOptions = {}): Promise<FakeKeyVault> {
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new RangeError("`port` is an integer 0-65535.");
  const tenantId = options.tenantId ?? "00000000-0000-0000-0000-000000000000";
  const resource = options.resource ?? "https://vault.azure.net";
  const tls = await createTlsMaterial("oncekey fake key vault");
  const store = new SecretStore();
  const calls = new BoundedLog<FakeKeyVaultCall>(100_000);
  const faults = new VaultFaultQueue();
  const timers = new TimerSet();
  let url = "";
  const context = {
    store,
    vaultUrl: () => url,
    vaultName: options.name ?? "oncekey-fake",
    challenge: `Bearer authorization="https://login.microsoftonline.com/${tenantId}", resource="${resource}"`,
    authorize: createAccessPolicy(options.tokens, tenantId),
    takeFault: (secret: string | null) => faults.take(secret),
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
    close() {
      faults.clear();
      timers.clear();
      return listener.close();
    },
  };
}
