import { seedBookings, type SandboxBooking } from "../api/seed-bookings.js";
import { randomId } from "./ids.js";
import { fingerprintOfHash, generateApiKey, hashApiKey } from "./key-material.js";
import type { TokenBucket } from "./token-bucket.js";
import { shownValue } from "../../options/shown-value.js";

/** OnceHub's documented ceiling on active API keys per account. */
export const MAX_KEYS_PER_ACCOUNT = 25;

/** A sandbox account: what the `GET /v2/test` answer names. */
export interface SandboxAccount {
  /** `ACCT-` and ten letters or digits; OnceHub's API exposes no account id, the sandbox needs one to refer to it. */
  readonly id: string;
  readonly email: string;
}

/** A new account together with its first raw API key (shown once). */
export interface CreatedAccount extends SandboxAccount {
  readonly key: string;
}

/** What the sandbox can tell about a key after creation: never the key itself. */
export interface SandboxKeyInfo {
  readonly name: string;
  readonly fingerprint: string;
  readonly createdAt: Date;
}

/** A webhook subscription as the API returns it. */
export interface WebhookRecord {
  readonly object: "webhook";
  readonly id: string;
  readonly api_version: "v2";
  readonly name: string;
  readonly url: string;
  readonly events: readonly string[];
  readonly creation_time: string;
  readonly secret: string;
}

/** An account's whole state. Webhooks hang off the account, not a key, so they outlive any key. */
export interface AccountRecord extends SandboxAccount {
  readonly apiAccess: boolean;
  readonly keys: Map<string, KeyRecord>;
  readonly bookings: readonly SandboxBooking[];
  readonly bookingsById: ReadonlyMap<string, SandboxBooking>;
  /** In creation order (a Map keeps insertion order). */
  readonly webhooks: Map<string, WebhookRecord>;
  readonly deletedWebhooks: Set<string>;
  readonly bucket: TokenBucket | undefined;
  /** The `GET /v2/test` body, serialized once because it is the benchmark's hot path. */
  readonly testBody: string;
}

/** A stored key: its hash and metadata; the raw key is never kept. */
export interface KeyRecord extends SandboxKeyInfo {
  readonly hash: string;
  readonly account: AccountRecord;
}

/** Options of {@link AccountStore}. */
export interface AccountStoreOptions {
  readonly bookings: number;
  readonly createBucket: () => TokenBucket | undefined;
}

/**
 * Accounts and their keys. Keys are looked up by their SHA-256, so the raw key is never stored nor compared
 * character by character.
 */
export class AccountStore {
  readonly #accounts = new Map<string, AccountRecord>();
  readonly #keys = new Map<string, KeyRecord>();
  readonly #options: AccountStoreOptions;

  constructor(options: AccountStoreOptions) {
    this.#options = options;
  }

  /** Creates an account with a first key: `options.key` (already checked by the caller), else a new one. */
  createAccount(email?: string, options: { apiAccess?: boolean; key?: string } = {}): CreatedAccount {
    const id = randomId("ACCT", 10);
    const address = email ?? `account-${this.#accounts.size + 1}@example.com`;
    if (typeof address !== "string" || !/^[^\s@]+@[^\s@]+$/.test(address)) {
      throw new TypeError(
        `Sandbox account email must look like an email address, got ${shownValue(address)}.`,
      );
    }
    if (options.apiAccess !== undefined && typeof options.apiAccess !== "boolean")
      throw new TypeError("Sandbox account apiAccess must be true or false.");
    if (options.key !== undefined && this.#keys.has(hashApiKey(options.key)))
      throw new Error("That key already belongs to a sandbox account: keys are unique.");
    const bookings = seedBookings(this.#options.bookings, id);
    const account: AccountRecord = {
      id,
      email: address,
      apiAccess: options.apiAccess ?? true,
      keys: new Map(),
      bookings,
      bookingsById: new Map(bookings.map((booking) => [booking.id, booking])),
      webhooks: new Map(),
      deletedWebhooks: new Set(),
      bucket: this.#options.createBucket(),
      testBody: JSON.stringify({ message: `The API key is valid for account: ${address}` }),
    };
    this.#accounts.set(id, account);
    return { id, email: address, key: this.#addKey(account, "API key 1", options.key) };
  }

  getAccount(accountId: string): SandboxAccount | undefined {
    const account = this.#accounts.get(accountId);
    return account === undefined ? undefined : { id: account.id, email: account.email };
  }

  createKey(accountId: string, name?: string): string {
    const account = this.#account(accountId);
    if (account.keys.size >= MAX_KEYS_PER_ACCOUNT) {
      throw new Error(
        `Sandbox account ${accountId} already has ${MAX_KEYS_PER_ACCOUNT} active API keys, OnceHub's limit: delete one first.`,
      );
    }
    if (name !== undefined && (typeof name !== "string" || name.length === 0 || name.length > 200))
      throw new TypeError("A sandbox API key's name is text of 1 to 200 characters.");
    return this.#addKey(account, name ?? `API key ${account.keys.size + 1}`);
  }

  deleteKey(raw: string): void {
    const record = this.#active(raw);
    record.account.keys.delete(record.hash);
    this.#keys.delete(record.hash);
  }

  regenerateKey(raw: string): string {
    const record = this.#active(raw);
    this.deleteKey(raw);
    return this.#addKey(record.account, record.name);
  }

  listKeys(accountId: string): SandboxKeyInfo[] {
    return [...this.#account(accountId).keys.values()].map(({ name, fingerprint, createdAt }) => ({
      name,
      fingerprint,
      createdAt: new Date(createdAt),
    }));
  }

  /** The active key with this hash, if any. */
  lookup(keyHash: string): KeyRecord | undefined {
    return this.#keys.get(keyHash);
  }

  #addKey(account: AccountRecord, name: string, raw = generateApiKey()): string {
    const hash = hashApiKey(raw);
    const record: KeyRecord = {
      hash,
      fingerprint: fingerprintOfHash(hash),
      name,
      createdAt: new Date(),
      account,
    };
    account.keys.set(hash, record);
    this.#keys.set(hash, record);
    return raw;
  }

  #account(accountId: string): AccountRecord {
    const account = this.#accounts.get(accountId);
    if (account === undefined) {
      // An id that is not shaped like one may be a key passed by mistake: it is not repeated.
      const shown = /^ACCT-[A-Za-z0-9]{1,32}$/.test(String(accountId))
        ? JSON.stringify(accountId)
        : "(not an account id: they look like ACCT-xxxxxxxxxx)";
      throw new Error(`No sandbox account with id ${shown}.`);
    }
    return account;
  }

  #active(raw: string): KeyRecord {
    const hash = hashApiKey(String(raw));
    const record = this.#keys.get(hash);
    if (record === undefined) {
      throw new Error(
        `No active sandbox API key with fingerprint ${fingerprintOfHash(hash)}: it was deleted or never created.`,
      );
    }
    return record;
  }
}
