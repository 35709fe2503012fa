import { createServer as createHttpServer } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import { optionsObject } from "../options/check-option-names.js";
import { listenLoopback, type LoopbackListener } from "../server/listen-loopback.js";
import { TimerSet } from "../server/timer-set.js";
import { BoundedLog } from "../state/bounded-log.js";
import { createTlsMaterial } from "../tls/create-tls-material.js";
import type { Sandbox } from "./sandbox.js";
import { createApiHandler } from "./server/create-api-handler.js";
import type { SandboxContext } from "./server/sandbox-context.js";
import { createPlainHandler } from "./server/create-plain-handler.js";
import { SandboxRateLimits } from "./server/rate-limits.js";
import { resolveSandboxOptions, type StartSandboxOptions } from "./start-sandbox-options.js";
import { AccountStore } from "./state/account-store.js";
import { FaultInjector } from "./state/fault-injector.js";
import { createRequestIds } from "./state/ids.js";
import type { LoggedRequest } from "./state/request-log.js";
import { sendWebhook } from "./webhooks/send-webhook.js";

/**
 * Starts a local imitation of the OnceHub v2 API over HTTPS on 127.0.0.1, with a default account and key, seeded
 * bookings, webhooks, OnceHub's errors and rate limit, a request log and fault injection. It makes its own
 * throwaway CA and key unless `tls` and `key` give the ones to keep.
 *
 * Imports nothing from `@oncekey/core`, so a bug shared by a client and this server cannot hide. Every option is
 * checked before anything listens: a bad or unknown one is a `TypeError` or `RangeError` naming it.
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
export async function startSandbox(options?: StartSandboxOptions): Promise<Sandbox> {
  const resolved = resolveSandboxOptions(options);
  const store = new AccountStore({ bookings: resolved.bookings, createBucket: resolved.createBucket });
  const faults = new FaultInjector();
  const log = new BoundedLog<LoggedRequest>(resolved.requestLogLimit);
  const timers = new TimerSet();
  const context: SandboxContext = {
    store,
    log,
    faults,
    timers,
    nextRequestId: createRequestIds(),
    limits: new SandboxRateLimits(resolved.ipLimit, resolved.retryAfter),
    origin: "",
    plainOrigin: "",
  };
  const { id, email, key } = store.createAccount(resolved.email, {
    ...(resolved.key === undefined ? {} : { key: resolved.key }),
  });

  const tls = resolved.tls ?? (await createTlsMaterial("oncekey sandbox"));
  const https = await listenLoopback(
    createHttpsServer({ cert: tls.cert, key: tls.key }, createApiHandler(context)),
    resolved.port,
  );
  let plain: LoopbackListener;
  try {
    plain = await listenLoopback(createHttpServer(createPlainHandler(context)), resolved.plainPort);
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
      create(accountEmail, accountOptions) {
        const { apiAccess } = optionsObject("accounts.create", accountOptions, ["apiAccess"]);
        return store.createAccount(accountEmail, apiAccess === undefined ? {} : { apiAccess });
      },
      get: (accountId) => store.getAccount(accountId),
    },
    keys: {
      create: (accountId, name) => store.createKey(accountId, name),
      delete: (raw) => store.deleteKey(raw),
      regenerate: (raw) => store.regenerateKey(raw),
      list: (accountId) => store.listKeys(accountId),
    },
    requests: log,
    rateLimited: context.limits.counts,
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
