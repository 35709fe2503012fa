import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { answerSafely } from "../../server/guard-handler.js";
import { resetConnection } from "../../server/reset-connection.js";
import type { TimerSet } from "../../server/timer-set.js";
import { SECRET_NAME_PATTERN, type SecretStore } from "../state/secret-store.js";
import type { AccessDecision, FakeKeyVaultPermission } from "../state/vault-access.js";
import type { FakeKeyVaultCall } from "../state/vault-calls.js";
import type { FakeKeyVaultFault, VaultFaultTarget } from "../state/vault-faults.js";
import { secretBody, vaultError, type VaultAnswer } from "./vault-response-bodies.js";
import { vaultRoute, type VaultRoute } from "./vault-route.js";
import { readPutBody, writeSecret, type PutBody } from "./write-secret.js";

/** What the request handler needs from the vault that owns it. */
export interface VaultContext {
  readonly store: SecretStore;
  readonly vaultUrl: () => string;
  readonly vaultName: string;
  readonly challenge: string;
  readonly authorize: (authorization: string | undefined) => AccessDecision;
  readonly takeFault: (target: VaultFaultTarget) => FakeKeyVaultFault | undefined;
  /** Counts a request carrying a token against the vault's throttle: 0 when it passes, else ms to wait. */
  readonly throttle: () => number;
  readonly record: (call: FakeKeyVaultCall) => void;
  /** Delayed answers, so `close()` can cancel them. */
  readonly timers: TimerSet;
}

const PERMISSION: Readonly<Record<"getSecret" | "getSecretVersions" | "setSecret", FakeKeyVaultPermission>> =
  {
    getSecret: "get",
    getSecretVersions: "list",
    setSecret: "set",
  };

const notFound = (name: string): VaultAnswer => ({
  status: 404,
  body: vaultError(
    "SecretNotFound",
    `A secret with (name/id) ${name} was not found in this key vault. If you recently deleted this secret you ` +
      "may be able to recover it using the correct recovery command.",
  ),
});

/** 401 with the challenge that tells a client where to get a token. */
const unauthorized = (ctx: VaultContext, message: string): VaultAnswer => ({
  status: 401,
  body: vaultError("Unauthorized", message),
  headers: { "www-authenticate": ctx.challenge },
});

/** Key Vault's 429, with `Retry-After` in seconds when `retryAfter` is not `null`. */
const throttled = (retryAfter: number | null): VaultAnswer => ({
  status: 429,
  body: vaultError(
    "Throttled",
    "Request was not processed because too many requests were received. Reason: VaultRequestTypeLimitReached",
  ),
  ...(retryAfter === null ? {} : { headers: { "retry-after": String(retryAfter) } }),
});

function faultVaultAnswer(
  fault: Exclude<FakeKeyVaultFault, { kind: "delay" | "truncated-body" }>,
): VaultAnswer | "reset" {
  if (fault.kind === "reset") return "reset";
  if (fault.kind === "throttle")
    return throttled(fault.retryAfterSeconds === undefined ? 1 : fault.retryAfterSeconds);
  const status = fault.status ?? 500;
  const code = status === 503 ? "ServiceUnavailable" : "InternalServerError";
  return {
    status,
    body: vaultError(code, "The service encountered an internal error. Please retry the request."),
  };
}

/** VaultAnswers a request whose token was accepted: method, api-version, name, permission, then the operation. */
function serve(
  ctx: VaultContext,
  method: string,
  url: URL,
  target: VaultRoute,
  access: AccessDecision,
  body: Promise<PutBody> | undefined,
): VaultAnswer | Promise<VaultAnswer> {
  if (access.kind !== "granted") throw new Error("unreachable: serve() needs a granted token");
  if (target.operation === "unknown" && (target.known || (method !== "GET" && method !== "PUT"))) {
    return {
      status: 405,
      body: vaultError(
        "BadRequest",
        `The fake vault serves GET /secrets/{name}/{version?}, GET /secrets/{name}/versions and ` +
          `PUT /secrets/{name}, not ${method} on this path.`,
      ),
    };
  }
  if (!url.searchParams.get("api-version")) {
    return { status: 400, body: vaultError("BadParameter", "The 'api-version' query parameter is missing.") };
  }
  if (target.operation === "unknown" || target.secret === null) {
    return { status: 404, body: vaultError("NotFound", `The fake vault does not serve ${url.pathname}.`) };
  }
  if (!SECRET_NAME_PATTERN.test(target.secret)) {
    return {
      status: 400,
      body: vaultError("BadParameter", `The request URI contains an invalid name: ${target.secret}`),
    };
  }
  const permission = PERMISSION[target.operation];
  if (!access.permissions.includes(permission)) {
    const message =
      `The user, group or application '${access.identity}' does not have secrets ${permission} permission on key ` +
      `vault '${ctx.vaultName};location=local'. For help resolving this issue, please see ` +
      "https://go.microsoft.com/fwlink/?linkid=2125287";
    return { status: 403, body: vaultError("Forbidden", message, "AccessDenied") };
  }
  if (target.operation === "setSecret") return writeSecret(ctx.store, ctx.vaultUrl(), target.secret, body);
  if (target.operation === "getSecretVersions") {
    const secret = ctx.store.secret(target.secret);
    const value = secret
      ? secret.versions.map((version) => secretBody(ctx.vaultUrl(), secret, version, false))
      : [];
    return { status: 200, body: { value, nextLink: null } };
  }
  const found = ctx.store.find(target.secret, target.version);
  if (!found) return notFound(target.version ? `${target.secret}/${target.version}` : target.secret);
  if (!found.version.enabled) {
    return {
      status: 403,
      body: vaultError("Forbidden", "Operation get is not allowed on a disabled secret.", "SecretDisabled"),
    };
  }
  return { status: 200, body: secretBody(ctx.vaultUrl(), found.secret, found.version, true) };
}

/**
 * Handles one HTTP request the way Key Vault's data plane does for the secret operations the Azure SDK sends:
 * reads (`getSecret`, `getSecretVersions`) and writes (`setSecret`, whose body is read as it arrives).
 *
 * Order: no bearer token → 401 challenge; then an injected fault, if one matches (a `delay` fault only
 * postpones the rest); then the vault's throttle, when on (429 `Throttled` with `Retry-After`); then token
 * validity, method, `api-version`, name syntax, permission; then the operation (a read: existence, enabled; a
 * write: the body, then the new version).
 *
 * @param ctx - the vault's state and policies
 * @param req - the request
 * @param res - its response
 * @example
 * ```ts
 * https.createServer(tls, guardHandler((req, res) => handleVaultRequest(context, req, res), VAULT_FAILURE));
 * ```
 */
export function handleVaultRequest(ctx: VaultContext, req: IncomingMessage, res: ServerResponse): void {
  const method = req.method ?? "GET";
  let url: URL;
  try {
    url = new URL(req.url ?? "/", "https://vault.invalid");
  } catch {
    req.resume();
    return refuseTarget(ctx, req, res);
  }
  const target = vaultRoute(method, url.pathname);
  const access = ctx.authorize(req.headers.authorization);
  let body: Promise<PutBody> | undefined;
  if (target.operation === "setSecret") body = readPutBody(req);
  else req.resume();
  const base = {
    method,
    path: url.pathname,
    operation: target.operation,
    secret: target.secret,
    version: target.version,
    hasToken: access.kind !== "missing",
  };
  const fault =
    access.kind === "missing"
      ? undefined
      : ctx.takeFault({ secret: target.secret, operation: target.operation });
  const respond = (): void => {
    let throttledNow = false;
    const decide = (): VaultAnswer | Promise<VaultAnswer> | "reset" => {
      if (access.kind === "missing")
        return unauthorized(ctx, "AKV10000: Request is missing a Bearer or PoP token.");
      if (fault && fault.kind !== "delay" && fault.kind !== "truncated-body") return faultVaultAnswer(fault);
      const waitMs = ctx.throttle();
      if (waitMs > 0) {
        throttledNow = true;
        return throttled(Math.max(1, Math.ceil(waitMs / 1000)));
      }
      if (access.kind === "rejected")
        return unauthorized(ctx, "The bearer token is not one this vault accepts.");
      return serve(ctx, method, url, target, access, body);
    };
    const finish = (answer: VaultAnswer): void => {
      ctx.record({
        ...base,
        version: answer.written ?? base.version,
        status: answer.status,
        fault: fault ? fault.kind : null,
        throttled: throttledNow,
      });
      send(res, answer, fault?.kind === "truncated-body");
    };
    const answer = decide();
    if (answer === "reset") {
      ctx.record({ ...base, status: null, fault: "reset", throttled: false });
      resetConnection(req.socket);
    } else if (answer instanceof Promise) {
      // A client that left before its body arrived gets nothing, and nothing is logged, as for a delay.
      void answer
        .catch(() => FAILED)
        .then((settled) => {
          if (!res.destroyed) answerSafely(res, () => finish(settled), VAULT_FAILURE);
        });
    } else {
      finish(answer);
    }
  };
  if (fault?.kind === "delay") {
    ctx.timers.after(fault.delayMs, () => {
      if (!res.destroyed) answerSafely(res, respond, VAULT_FAILURE);
    });
  } else {
    respond();
  }
}

/** Key Vault's answer when the fake vault itself fails, which {@link answerSafely} sends. */
export const VAULT_FAILURE = JSON.stringify(
  vaultError("InternalServerError", "The fake vault failed to answer this request."),
);

/** The same failure as an answer, logged like any other. */
const FAILED: VaultAnswer = {
  status: 500,
  body: vaultError("InternalServerError", "The fake vault failed to answer this request."),
};

/** A request target no URL parser accepts (`//[`): 400, as Key Vault answers a malformed URI. */
function refuseTarget(ctx: VaultContext, req: IncomingMessage, res: ServerResponse): void {
  const answer: VaultAnswer = {
    status: 400,
    body: vaultError("BadParameter", "The request URI is not a valid URI."),
  };
  ctx.record({
    method: req.method ?? "GET",
    path: (req.url ?? "").slice(0, 2_048),
    operation: "unknown",
    secret: null,
    version: null,
    hasToken: req.headers.authorization !== undefined,
    status: answer.status,
    fault: null,
    throttled: false,
  });
  send(res, answer);
}

/** Writes `answer`; `truncated` cuts the JSON in half, as a broken proxy or connection would deliver it. */
function send(res: ServerResponse, answer: VaultAnswer, truncated = false): void {
  const json = JSON.stringify(answer.body);
  const payload = truncated ? json.slice(0, Math.floor(json.length / 2)) : json;
  res.writeHead(answer.status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(payload),
    "cache-control": "no-cache",
    "x-ms-request-id": randomUUID(),
    ...answer.headers,
  });
  res.end(payload);
}
