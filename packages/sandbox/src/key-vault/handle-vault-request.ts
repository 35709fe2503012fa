import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { answerSafely } from "../server/guard-handler.js";
import { resetConnection } from "../server/reset-connection.js";
import type { TimerSet } from "../server/timer-set.js";
import type { AccessDecision } from "./vault-access.js";
import type { FakeKeyVaultCall, FakeKeyVaultOperation } from "./vault-calls.js";
import type { FakeKeyVaultFault } from "./vault-faults.js";
import { SECRET_NAME_PATTERN, type SecretStore } from "./secret-store.js";
import { secretBody, vaultError } from "./vault-response-bodies.js";

/** What the request handler needs from the vault that owns it. */
export interface VaultContext {
  readonly store: SecretStore;
  readonly vaultUrl: () => string;
  readonly vaultName: string;
  readonly challenge: string;
  readonly authorize: (authorization: string | undefined) => AccessDecision;
  readonly takeFault: (secret: string | null) => FakeKeyVaultFault | undefined;
  /** Counts a request carrying a token against the vault's throttle: 0 when it passes, else ms to wait. */
  readonly throttle: () => number;
  readonly record: (call: FakeKeyVaultCall) => void;
  /** Delayed answers, so `close()` can cancel them. */
  readonly timers: TimerSet;
}

interface Route {
  readonly operation: FakeKeyVaultOperation;
  readonly secret: string | null;
  readonly version: string | null;
}

/** `/secrets/{name}`, `/secrets/{name}/`, `/secrets/{name}/{version}`, `/secrets/{name}/versions`. */
function route(pathname: string): Route {
  let segments: string[];
  try {
    segments = pathname.split("/").map((segment) => decodeURIComponent(segment));
  } catch {
    return { operation: "unknown", secret: null, version: null };
  }
  const [empty, collection, secret, version, ...rest] = segments;
  if (empty !== "" || collection !== "secrets" || !secret || rest.length > 0) {
    return { operation: "unknown", secret: null, version: null };
  }
  if (version === "versions") return { operation: "getSecretVersions", secret, version: null };
  return { operation: "getSecret", secret, version: version ? version : null };
}

interface Answer {
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Record<string, string>;
}

const notFound = (name: string): Answer => ({
  status: 404,
  body: vaultError(
    "SecretNotFound",
    `A secret with (name/id) ${name} was not found in this key vault. If you recently deleted this secret you ` +
      "may be able to recover it using the correct recovery command.",
  ),
});

/** 401 with the challenge that tells a client where to get a token. */
const unauthorized = (ctx: VaultContext, message: string): Answer => ({
  status: 401,
  body: vaultError("Unauthorized", message),
  headers: { "www-authenticate": ctx.challenge },
});

/** Key Vault's 429, with `Retry-After` in seconds when `retryAfter` is not `null`. */
const throttled = (retryAfter: number | null): Answer => ({
  status: 429,
  body: vaultError(
    "Throttled",
    "Request was not processed because too many requests were received. Reason: VaultRequestTypeLimitReached",
  ),
  ...(retryAfter === null ? {} : { headers: { "retry-after": String(retryAfter) } }),
});

function faultAnswer(
  fault: Exclude<FakeKeyVaultFault, { kind: "delay" | "truncated-body" }>,
): Answer | "reset" {
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

/** Answers a request whose token was accepted: method, api-version, name, permission, then the secret. */
function serve(
  ctx: VaultContext,
  req: IncomingMessage,
  url: URL,
  target: Route,
  access: AccessDecision,
): Answer {
  if (access.kind !== "granted") throw new Error("unreachable: serve() needs a granted token");
  if (req.method !== "GET") {
    return {
      status: 405,
      body: vaultError("BadRequest", `The fake vault serves GET only, not ${req.method}.`),
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
  const permission = target.operation === "getSecret" ? "get" : "list";
  if (!access.permissions.includes(permission)) {
    const message =
      `The user, group or application '${access.identity}' does not have secrets ${permission} permission on key ` +
      `vault '${ctx.vaultName};location=local'. For help resolving this issue, please see ` +
      "https://go.microsoft.com/fwlink/?linkid=2125287";
    return { status: 403, body: vaultError("Forbidden", message, "AccessDenied") };
  }
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
 * Handles one HTTP request the way Key Vault's data plane does for the secret reads the Azure SDK makes.
 *
 * Order: no bearer token → 401 challenge; then an injected fault, if one matches (a `delay` fault only
 * postpones the rest); then the vault's throttle, when on (429 `Throttled` with `Retry-After`); then token
 * validity, method, `api-version`, name syntax, permission, existence, enabled.
 */
export function handleVaultRequest(ctx: VaultContext, req: IncomingMessage, res: ServerResponse): void {
  req.resume();
  let url: URL;
  try {
    url = new URL(req.url ?? "/", "https://vault.invalid");
  } catch {
    return refuseTarget(ctx, req, res);
  }
  const target = route(url.pathname);
  const access = ctx.authorize(req.headers.authorization);
  const base = {
    method: req.method ?? "GET",
    path: url.pathname,
    operation: target.operation,
    secret: target.secret,
    version: target.version,
    hasToken: access.kind !== "missing",
  };
  const fault = access.kind === "missing" ? undefined : ctx.takeFault(target.secret);
  const respond = (): void => {
    let throttledNow = false;
    const decide = (): Answer | "reset" => {
      if (access.kind === "missing")
        return unauthorized(ctx, "AKV10000: Request is missing a Bearer or PoP token.");
      if (fault && fault.kind !== "delay" && fault.kind !== "truncated-body") return faultAnswer(fault);
      const waitMs = ctx.throttle();
      if (waitMs > 0) {
        throttledNow = true;
        return throttled(Math.max(1, Math.ceil(waitMs / 1000)));
      }
      if (access.kind === "rejected")
        return unauthorized(ctx, "The bearer token is not one this vault accepts.");
      return serve(ctx, req, url, target, access);
    };
    const answer = decide();
    if (answer === "reset") {
      ctx.record({ ...base, status: null, fault: "reset", throttled: false });
      resetConnection(req.socket);
      return;
    }
    ctx.record({ ...base, status: answer.status, fault: fault ? fault.kind : null, throttled: throttledNow });
    send(res, answer, fault?.kind === "truncated-body");
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

/** A request target no URL parser accepts (`//[`): 400, as Key Vault answers a malformed URI. */
function refuseTarget(ctx: VaultContext, req: IncomingMessage, res: ServerResponse): void {
  const answer: Answer = {
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
function send(res: ServerResponse, answer: Answer, truncated = false): void {
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
