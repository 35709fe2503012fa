import { randomBytes } from "node:crypto";
import {
  resolveSecretOptions,
  type FakeKeyVaultSecretOptions,
  type SecretVersionAttributes,
} from "./secret-version-options.js";

/** One stored version of a secret. */
export interface StoredVersion extends SecretVersionAttributes {
  readonly version: string;
  readonly value: string;
}

/** A secret and its versions, oldest first. */
export interface StoredSecret {
  readonly name: string;
  readonly versions: StoredVersion[];
}

/** Key Vault's rule for object names. */
export const SECRET_NAME_PATTERN = /^[0-9a-zA-Z-]{1,127}$/;

/** Key Vault's largest secret value, in bytes. */
export const MAX_VALUE_BYTES = 25 * 1024;

/**
 * The vault's secrets in memory, looked up case-insensitively as Key Vault compares object identifiers.
 */
export class SecretStore {
  readonly #secrets = new Map<string, StoredSecret>();

  /**
   * Adds a version (creating the secret if needed) and returns its 32-hex-digit version id.
   * @throws TypeError or RangeError for a name Key Vault refuses, a value over 25 KiB or a bad option
   */
  set(name: string, value: string, given?: FakeKeyVaultSecretOptions): string {
    const attributes = resolveSecretOptions(given, Date.now());
    if (typeof name !== "string" || !SECRET_NAME_PATTERN.test(name)) {
      throw new TypeError("A Key Vault secret name is 1-127 letters, digits and dashes.");
    }
    if (typeof value !== "string" || Buffer.byteLength(value) > MAX_VALUE_BYTES) {
      throw new TypeError("A Key Vault secret value is a string of at most 25 KiB.");
    }
    const stored: StoredVersion = {
      version: randomBytes(16).toString("hex"),
      value,
      ...attributes,
    };
    const key = name.toLowerCase();
    const secret = this.#secrets.get(key) ?? { name, versions: [] };
    secret.versions.push(stored);
    this.#secrets.set(key, secret);
    return stored.version;
  }

  /** Removes the secret with all its versions; returns whether it existed. */
  delete(name: string): boolean {
    return this.#secrets.delete(String(name).toLowerCase());
  }

  /** The secret named `name`, if any. */
  secret(name: string): StoredSecret | undefined {
    return this.#secrets.get(name.toLowerCase());
  }

  /** The requested version of `name` (the latest when `version` is null), if any. */
  find(name: string, version: string | null): { secret: StoredSecret; version: StoredVersion } | undefined {
    const secret = this.secret(name);
    if (!secret) return undefined;
    const wanted = version?.toLowerCase();
    const found =
      wanted === undefined ? secret.versions.at(-1) : secret.versions.find((v) => v.version === wanted);
    return found ? { secret, version: found } : undefined;
  }
}
