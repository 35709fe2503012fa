import type { IncomingMessage } from "node:http";
import type { AccountStore, KeyRecord } from "../state/account-store.js";
import { fingerprintOfHash, hashApiKey } from "../state/key-material.js";

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
export function identifyRequest(req: IncomingMessage, store: AccountStore): RequestIdentity {
  const header = req.headers["api-key"];
  const raw = Array.isArray(header) ? header.join(", ") : header;
  if (raw === undefined || raw === "") return NOBODY;
  const keyHash = hashApiKey(raw);
  return { presented: true, fingerprint: fingerprintOfHash(keyHash), key: store.lookup(keyHash) };
}

/** Splits a request target into its path and its query parameters (the last of repeated values wins). */
export function splitTarget(target: string): { path: string; query: Record<string, string> } {
  const mark = target.indexOf("?");
  if (mark === -1) return { path: target, query: {} };
  return {
    path: target.slice(0, mark),
    query: Object.fromEntries(new URLSearchParams(target.slice(mark + 1))),
  };
}
