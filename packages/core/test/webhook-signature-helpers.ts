import { createHmac } from "node:crypto";

/** A webhook secret shaped like OnceHub's (32 hex characters). */
export const SECRET = "d7686b8c83f04913929079aeae40189e";

/** A fixed clock: 2021-01-20T12:10:04Z. */
export const NOW_SECONDS = 1_611_144_604;
export const now = (): number => NOW_SECONDS * 1000 + 500;

/** A delivery body as OnceHub sends it. */
export function eventBody(overrides: Record<string, unknown> = {}): string {
  return JSON.stringify({
    id: "EVNT-KN56U3YL7C",
    object: "event",
    creation_time: "2021-01-20T12:10:03Z",
    type: "booking.scheduled",
    api_version: "v2",
    data: { object: "booking", id: "BKNG-22RN37EED5WS", subject: "Démo" },
    ...overrides,
  });
}

/** HMAC-SHA256 hex computed here, independently of the code under test. */
export function hmacHex(t: string | number, body: string | Buffer, secret = SECRET): string {
  return createHmac("sha256", secret).update(`${t}.`).update(body).digest("hex");
}

/** A correct `Oncehub-Signature` header, computed independently. */
export function header(body: string | Buffer, t: number = NOW_SECONDS, secret = SECRET): string {
  return `t=${t},s=${hmacHex(t, body, secret)}`;
}
