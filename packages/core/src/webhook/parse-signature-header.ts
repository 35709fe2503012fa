import { WebhookSignatureError } from "../errors/webhook-signature-error.js";

/** What an `Oncehub-Signature` header says. */
export interface ParsedSignatureHeader {
  /** The `t=` value exactly as written: it is part of what was signed. */
  readonly timestamp: string;
  /** `timestamp` as unix seconds. */
  readonly seconds: number;
  /** Every `s=` value, in order; any one that matches wins (several may appear while a secret rotates). */
  readonly signatures: readonly string[];
}

/** Longer headers are refused before any work: Node itself caps all headers together at 16 KiB by default. */
export const MAX_SIGNATURE_HEADER_LENGTH = 8192;

/** Unix seconds: digits only (leading zeros allowed, the text as written is what was signed). */
const TIMESTAMP = /^\d{1,20}$/;
/** Twelve digits reach past the year 30000; a millisecond clock value, a common mistake, has thirteen. */
export const MAX_TIMESTAMP_SECONDS = 999_999_999_999;

/**
 * Parses `t=<unix seconds>,s=<hex>[,s=<hex>…]` as OnceHub documents it: split on `,`, then each part on its first
 * `=`. Whitespace around parts, keys and values is tolerated; unknown keys and parts without `=` are ignored, so
 * a future addition to the header does not break receivers. A header without exactly one valid `t` or without any
 * `s` is a {@link WebhookSignatureError} with reason `malformed_header`; the signatures' content is judged later.
 */
export function parseSignatureHeader(header: unknown): ParsedSignatureHeader {
  if (typeof header !== "string" || header.trim() === "") {
    throw malformed("it is missing or empty; pass the request's `Oncehub-Signature` header as a string");
  }
  if (header.length > MAX_SIGNATURE_HEADER_LENGTH) {
    throw malformed(`it is ${header.length} characters long, more than ${MAX_SIGNATURE_HEADER_LENGTH}`);
  }
  let timestamp: string | undefined;
  let timestamps = 0;
  const signatures: string[] = [];
  for (const part of header.split(",")) {
    const equals = part.indexOf("=");
    if (equals === -1) continue;
    const name = part.slice(0, equals).trim();
    const value = part.slice(equals + 1).trim();
    if (name === "t") {
      timestamps += 1;
      timestamp = value;
    } else if (name === "s") {
      signatures.push(value);
    }
  }
  if (timestamps === 0 || timestamp === undefined) throw malformed("it has no `t=` timestamp");
  if (timestamps > 1) throw malformed(`it has ${timestamps} \`t=\` timestamps where one is expected`);
  const seconds = TIMESTAMP.test(timestamp) ? Number(timestamp) : NaN;
  if (!(seconds <= MAX_TIMESTAMP_SECONDS)) throw malformed("its `t=` is not a whole number of unix seconds");
  if (signatures.length === 0) throw malformed("it has no `s=` signature");
  return { timestamp, seconds, signatures };
}

function malformed(problem: string): WebhookSignatureError {
  return new WebhookSignatureError(
    `The Oncehub-Signature header is malformed: ${problem}. OnceHub sends "t=<unix seconds>,s=<hex HMAC-SHA256>"; ` +
      "answer such a delivery with 400 and do not act on it.",
    { reason: "malformed_header" },
  );
}
