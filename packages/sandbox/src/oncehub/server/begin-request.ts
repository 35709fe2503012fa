import type { IncomingMessage } from "node:http";
import type { AccountStore, KeyRecord } from "../state/account-store.js";
import type { FaultKind } from "../state/fault-injector.js";
import type { RateLimitKind } from "../state/request-log.js";
import { fingerprintOfHash, hashApiKey } from "../state/key-material.js";
import type { SandboxContext } from "./sandbox-context.js";

/** Who a request claims to be: the presented key's fingerprint and, when the key is active, its record. */
export interface RequestIdentity {
  /** `false` when there is no `API-Key` header, or it is empty. */
  readonly presented: boolean;
  readonly fingerprint: string | null;
  readonly key: KeyRecord | undefined;
}

const NOBODY: RequestIdentity = { presented: false, fingerprint: null, key: undefined };

/**
 * Reads the `API-Key` header (Node lowercases header names, so any spelling works) and looks the key up by its
 * hash. Repeated headers arrive joined by ", ", which matches no key.
 */
function identifyRequest(req: IncomingMessage, store: AccountStore): RequestIdentity {
  const header = req.headers["api-key"];
  const raw = Array.isArray(header) ? header.join(", ") : header;
  if (raw === undefined || raw === "") return NOBODY;
  const keyHash = hashApiKey(raw);
  return { presented: true, fingerprint: fingerprintOfHash(keyHash), key: store.lookup(keyHash) };
}

/** Splits a request target into its path and its query parameters (the last of repeated values wins). */
function splitTarget(target: string): { path: string; query: Record<string, string> } {
  const mark = target.indexOf("?");
  if (mark === -1) return { path: target, query: {} };
  return {
    path: target.slice(0, mark),
    query: Object.fromEntries(new URLSearchParams(target.slice(mark + 1))),
  };
}

/** A request being served: what the handlers need to know about it, and how to log it once answered. */
export interface RequestInProgress {
  readonly requestId: string;
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly identity: RequestIdentity;
  /**
   * Logs the request with the status sent (`null` when none was), the fault injected into it and the rate limit
   * that refused it, if any.
   */
  finish(status: number | null, fault?: FaultKind | null, limitedBy?: RateLimitKind | null): void;
}

/** Gives a request its `Request-Id`, reads its target and key, and prepares its log entry. */
export function beginRequest(
  req: IncomingMessage,
  context: SandboxContext,
  plain: boolean,
): RequestInProgress {
  const time = Date.now();
  const requestId = context.nextRequestId();
  const method = req.method ?? "GET";
  const { path, query } = splitTarget(req.url ?? "/");
  const identity = identifyRequest(req, context.store);
  return {
    requestId,
    method,
    path,
    query,
    identity,
    finish: (status, fault = null, limitedBy = null) =>
      context.log.record({
        requestId,
        time,
        method,
        path,
        query,
        accountId: identity.key?.account.id ?? null,
        fingerprint: identity.fingerprint,
        status,
        plain,
        fault,
        limitedBy,
      }),
  };
}
