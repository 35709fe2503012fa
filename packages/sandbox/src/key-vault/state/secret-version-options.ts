import { optionsObject } from "../../options/check-option-names.js";

/**
 * Attributes of a secret version written with the fake vault's own `setSecret`.
 *
 * @example
 * ```ts
 * const yearAgo = new Date(Date.now() - 365 * 86_400_000);
 * vault.setSecret("oncehub-api-key", key, { contentType: "text/plain", createdOn: yearAgo });
 * ```
 */
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
  /** Served as `tags`: string values only, as Key Vault takes them. @defaultValue none */
  readonly tags?: Readonly<Record<string, string>>;
  /**
   * When the version was created, served as `attributes.created`: for a test of code that judges a secret's age
   * (the SDK's `properties.createdOn`). Key Vault sets it when a version is written, so it cannot lie in the
   * future; whole seconds, as the service keeps it.
   * @defaultValue `updatedOn` when that is given, else now
   */
  readonly createdOn?: Date;
  /**
   * When the version was last updated, served as `attributes.updated` (the SDK's `properties.updatedOn`); not
   * before `createdOn`, not in the future.
   * @defaultValue `createdOn` when that is given, else now
   */
  readonly updatedOn?: Date;
}

/** A version's checked attributes, times in unix seconds as Key Vault serialises them. */
export interface SecretVersionAttributes {
  readonly enabled: boolean;
  readonly created: number;
  readonly updated: number;
  readonly exp?: number;
  readonly nbf?: number;
  readonly contentType?: string;
  readonly tags?: Readonly<Record<string, string>>;
}

const OPTION_NAMES = [
  "enabled",
  "expiresOn",
  "notBefore",
  "contentType",
  "tags",
  "createdOn",
  "updatedOn",
] as const;

/** What a value is, without any of its characters: option values may hold a key pasted in the wrong place. */
const kindOf = (value: unknown): string =>
  value === null ? "null" : Array.isArray(value) ? "an array" : `a ${typeof value}`;

/** A `Date` option as unix seconds (`undefined` when left out); refuses anything but a valid date after 1970. */
function seconds(name: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (!(value instanceof Date))
    throw new TypeError(`setSecret: ${name} must be a Date, got ${kindOf(value)}.`);
  const time = value.getTime();
  if (!(time >= 1000)) throw new RangeError(`setSecret: ${name} must be a valid Date after 1970.`);
  return Math.floor(time / 1000);
}

function tagsOption(value: unknown): Readonly<Record<string, string>> | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw new TypeError(`setSecret: tags must be an object of string values, got ${kindOf(value)}.`);
  const entries = Object.entries(value);
  if (entries.some(([, tag]) => typeof tag !== "string"))
    throw new TypeError("setSecret: tags must be an object of string values; one value is not a string.");
  return Object.freeze(Object.fromEntries(entries) as Record<string, string>);
}

/**
 * Checks `setSecret`'s options and fills the defaults: every option is checked for its type (an unknown name is
 * refused, naming it), dates must be valid, and `createdOn`/`updatedOn` must be in order and not in the future.
 *
 * @param given - the options as passed
 * @param nowMs - the time of the write, `Date.now()`
 * @returns the version's attributes
 * @throws TypeError for an unknown option or a value of the wrong type; RangeError for an impossible date
 * @example
 * ```ts
 * const attributes = resolveSecretOptions({ createdOn: new Date("2026-01-01") }, Date.now());
 * ```
 */
export function resolveSecretOptions(
  given: FakeKeyVaultSecretOptions | undefined,
  nowMs: number,
): SecretVersionAttributes {
  const options = optionsObject("setSecret", given, OPTION_NAMES);
  if (options.enabled !== undefined && typeof options.enabled !== "boolean")
    throw new TypeError(`setSecret: enabled must be true or false, got ${kindOf(options.enabled)}.`);
  if (options.contentType !== undefined && typeof options.contentType !== "string")
    throw new TypeError(`setSecret: contentType must be a string, got ${kindOf(options.contentType)}.`);
  const tags = tagsOption(options.tags);
  const exp = seconds("expiresOn", options.expiresOn);
  const nbf = seconds("notBefore", options.notBefore);
  const now = Math.floor(nowMs / 1000);
  const createdOn = seconds("createdOn", options.createdOn);
  const updatedOn = seconds("updatedOn", options.updatedOn);
  const created = createdOn ?? updatedOn ?? now;
  const updated = updatedOn ?? createdOn ?? now;
  if (Math.max(created, updated) > now)
    throw new RangeError(
      "setSecret: createdOn and updatedOn cannot lie in the future: Key Vault sets them when a version is written.",
    );
  if (updated < created) throw new RangeError("setSecret: updatedOn cannot be before createdOn.");
  return {
    enabled: options.enabled ?? true,
    created,
    updated,
    ...(exp === undefined ? {} : { exp }),
    ...(nbf === undefined ? {} : { nbf }),
    ...(options.contentType === undefined ? {} : { contentType: options.contentType }),
    ...(tags === undefined ? {} : { tags }),
  };
}
