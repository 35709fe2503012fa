import { randomBytes } from "node:crypto";
import { optionsObject } from "../options/check-option-names.js";

/** Attributes of a secret version written with `setSecret`. */
export interface FakeKeyVaultSecretOptions {
  /**
   * Whether the version can be read; a disabled latest version answers 403 `SecretDisabled`.
   * @defaultValue `true`
   */
  readonly enabled?: boolean;
  /** Served as `attributes.exp`; Key Vault reports it but still serves the value. @defaultValue none */
  readonly expiresOn?: Date;
  /** Served as `attributes.nbf`; Key Vault reports it but still serves the value. @defaultValue none */
  readonly notBefore?: Date;
  /** Served as `contentType`. @defaultValue none */
  readonly contentType?: string;
  /** Served as `tags`. @defaultValue none */
  readonly tags?: Readonly<Record<string, string>>;
}

/** One stored version of a secret. */
export interface StoredVersion {
  readonly version: string;
  readonly value: string;
  readonly enabled: boolean;
  readonly created: number;
  readonly updated: number;
  readonly exp?: number;
  readonly nbf?: number;
  readonly contentType?: string;
  readonly tags?: Readonly<Record<string, string>>;
}

/** A secret and its versions, oldest first. */
export interface StoredSecret {
  readonly name: string;
  readonly versions: StoredVersion[];
}

/** Key Vault's rule for object names. */
export const SECRET_NAME_PATTERN = /^[0-9a-zA-Z-]{1,127}$/;

const MAX_VALUE_BYTES = 25 * 1024;

const unixSeconds = (date: Date): number => Math.floor(date.getTime() / 1000);

/**
 * The vault's secrets in memory, looked up case-insensitively as Key Vault compares object identifiers.
 */
export class SecretStore {
  readonly #secrets = new Map<string, StoredSecret>();

  /** Adds a version (creating the secret if needed) and returns its 32-hex-digit version id. */
  set(name: string, value: string, given?: FakeKeyVaultSecretOptions): string {
    const options = optionsObject("setSecret", given, [
      "enabled",
      "expiresOn",
      "notBefore",
      "contentType",
      "tags",
    ]);
    if (typeof name !== "string" || !SECRET_NAME_PATTERN.test(name)) {
      throw new TypeError("A Key Vault secret name is 1-127 letters, digits and dashes.");
    }
    if (typeof value !== "string" || Buffer.byteLength(value) > MAX_VALUE_BYTES) {
      throw new TypeError("A Key Vault secret value is a string of at most 25 KiB.");
    }
    const now = Math.floor(Date.now() / 1000);
    const stored: StoredVersion = {
      version: randomBytes(16).toString("hex"),
      value,
      enabled: options.enabled ?? true,
      created: now,
      updated: now,
      ...(options.expiresOn ? { exp: unixSeconds(options.expiresOn) } : {}),
      ...(options.notBefore ? { nbf: unixSeconds(options.notBefore) } : {}),
      ...(options.contentType !== undefined ? { contentType: options.contentType } : {}),
      ...(options.tags ? { tags: { ...options.tags } } : {}),
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
