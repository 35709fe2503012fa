import { MAX_VALUE_BYTES } from "../state/secret-store.js";
import type { FakeKeyVaultSecretOptions } from "../state/secret-version-options.js";

/** A `PUT /secrets/{name}` body as the vault stores it, or what is wrong with it. */
export type SetSecretRequest =
  | { readonly ok: true; readonly value: string; readonly options: FakeKeyVaultSecretOptions }
  | { readonly ok: false; readonly problem: string };

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** Left out, as the SDK leaves out what it was not given (`null` taken the same way, as the service does). */
const absent = (value: unknown): value is null | undefined => value === undefined || value === null;

const refuse = (problem: string): SetSecretRequest => ({ ok: false, problem });

/** `nbf`/`exp`: whole unix seconds after 1970, as the SDK serialises a `Date`. */
function dateOf(value: unknown): Date | undefined | "bad" {
  if (absent(value)) return undefined;
  return Number.isSafeInteger(value) && (value as number) > 0 ? new Date((value as number) * 1000) : "bad";
}

/**
 * Reads the body of Key Vault's set-secret request (`SecretSetParameters`): `{ value, contentType?, tags?,
 * attributes?: { enabled?, nbf?, exp? } }`. Read-only attributes (`created`, `updated`, `recoveryLevel`) and
 * fields the service does not know are ignored, as Key Vault ignores them. No message repeats any part of the
 * body: it holds the secret.
 *
 * @param text - the request body, UTF-8
 * @returns the value and the version's options, or the problem to answer 400 `BadParameter` with
 * @example
 * ```ts
 * const request = setSecretRequest('{"value":"key-2","contentType":"text/plain"}');
 * if (request.ok) store.set(name, request.value, request.options);
 * ```
 */
export function setSecretRequest(text: string): SetSecretRequest {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return refuse("The request body is not valid JSON.");
  }
  if (!isObject(body)) return refuse("The request body must be a JSON object holding the secret's value.");
  const { value, contentType, tags, attributes } = body;
  if (typeof value !== "string")
    return refuse("The request body has no 'value': a secret needs a string value.");
  if (Buffer.byteLength(value) > MAX_VALUE_BYTES)
    return refuse(`The secret value is larger than Key Vault's limit of ${MAX_VALUE_BYTES} bytes.`);
  if (!absent(contentType) && typeof contentType !== "string")
    return refuse("The property 'contentType' must be a string.");
  if (!absent(tags) && !(isObject(tags) && Object.values(tags).every((tag) => typeof tag === "string")))
    return refuse("The property 'tags' must be an object of string values.");
  if (!absent(attributes) && !isObject(attributes))
    return refuse("The property 'attributes' must be an object.");
  const { enabled, nbf, exp } = isObject(attributes) ? attributes : {};
  if (!absent(enabled) && typeof enabled !== "boolean")
    return refuse("The property 'attributes.enabled' must be true or false.");
  const notBefore = dateOf(nbf);
  const expiresOn = dateOf(exp);
  if (notBefore === "bad" || expiresOn === "bad")
    return refuse("The properties 'attributes.nbf' and 'attributes.exp' must be whole unix seconds.");
  return {
    ok: true,
    value,
    options: {
      ...(absent(enabled) ? {} : { enabled }),
      ...(notBefore === undefined ? {} : { notBefore }),
      ...(expiresOn === undefined ? {} : { expiresOn }),
      ...(absent(contentType) ? {} : { contentType }),
      ...(absent(tags) ? {} : { tags: tags as Record<string, string> }),
    },
  };
}
