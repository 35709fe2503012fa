import type { IncomingMessage } from "node:http";
import { BodyTooLargeError, readBody } from "../../server/read-body.js";
import type { SecretStore } from "../state/secret-store.js";
import { setSecretRequest } from "./set-secret-request.js";
import { secretBody, vaultError, type VaultAnswer } from "./vault-response-bodies.js";

/** A `PUT` body as it arrived: its text, or why there is none. */
export type PutBody = { readonly text: string } | { readonly failure: "too-large" | "incomplete" };

/** Key Vault takes values up to 25 KiB; JSON escapes can make the body several times that. */
const BODY_LIMIT = 256 * 1024;

/**
 * Starts reading a `PUT` body as the request arrives (a listener added after `resume()` would miss what flowed
 * past), so the answer can wait for it after the checks that come first; never rejects.
 *
 * @param req - the request, not yet read from
 * @example
 * ```ts
 * const body = req.method === "PUT" ? readPutBody(req) : undefined;
 * ```
 */
export function readPutBody(req: IncomingMessage): Promise<PutBody> {
  return readBody(req, BODY_LIMIT).then(
    (text) => ({ text }),
    (error: unknown) => ({ failure: error instanceof BodyTooLargeError ? "too-large" : "incomplete" }),
  );
}

/**
 * `PUT /secrets/{name}`: stores the body's value as a new version, the latest, and answers its secret bundle, as
 * Key Vault's set-secret operation does. No answer repeats any part of the body: it holds the secret.
 *
 * @param store - the vault's secrets
 * @param vaultUrl - the vault's URL, for the bundle's `id`
 * @param name - the secret's name, already checked
 * @param body - the body, from {@link readPutBody}
 * @returns 200 with the bundle (and `written`), 400 `BadParameter` for a bad body, 413 past 256 KiB
 * @example
 * ```ts
 * const answer = await writeSecret(store, "https://127.0.0.1:8443", "oncehub-api-key", readPutBody(req));
 * ```
 */
export async function writeSecret(
  store: SecretStore,
  vaultUrl: string,
  name: string,
  body: Promise<PutBody> | undefined,
): Promise<VaultAnswer> {
  const read = body === undefined ? { failure: "incomplete" as const } : await body;
  if ("failure" in read) {
    return read.failure === "too-large"
      ? {
          status: 413,
          body: vaultError("BadParameter", `The request body is larger than ${BODY_LIMIT} bytes.`),
        }
      : { status: 400, body: vaultError("BadParameter", "The request body did not arrive whole.") };
  }
  const request = setSecretRequest(read.text);
  if (!request.ok) return { status: 400, body: vaultError("BadParameter", request.problem) };
  const version = store.set(name, request.value, request.options);
  const found = store.find(name, version);
  if (!found) throw new Error("unreachable: a version just written is found");
  return { status: 200, body: secretBody(vaultUrl, found.secret, found.version, true), written: version };
}
