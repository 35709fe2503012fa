import { inspect } from "node:util";

/**
 * Keys as they could be passed in the wrong place: with `-`; base64url without `-` and 32 hex digits starting with
 * a letter (both valid variable names); standard base64 with `/` and `+`.
 */
export const KEY_SHAPES = {
  dashed: "canary-ohk-7f3a9c2e5b1d4f6a8c0e2b4d6f8a1c3e",
  base64url: "canaryOhk_7f3a9c2e5b1d4f6a8c0e2b4d6f8a1c3eXYZ",
  hex: "cafe7f3a9c2e5b1d4f6a8c0e2b4d6f8a",
  base64: "canary/ohk+7f3a9c2e5b1d4f6a8c0e2b4d6f8a1c3e",
} as const;

/** Every way `value` could reach a log: message, stack, inspect, JSON, and the same for each cause. */
export function printed(value: unknown): string {
  const parts: string[] = [];
  let current: unknown = value;
  for (let depth = 0; depth < 5 && current !== undefined; depth++) {
    parts.push(inspect(current, { depth: 10, showHidden: true }), safeJson(current), String(current));
    if (!(current instanceof Error)) break;
    parts.push(current.message, current.stack ?? "");
    current = current.cause;
  }
  return parts.join("\n");
}

/** Whether `text` holds `key` or any 12-character slice of it (a key cut short is still a leak). */
export function holdsKey(text: string, key: string): boolean {
  for (let i = 0; i + 12 <= key.length; i += 4) if (text.includes(key.slice(i, i + 12))) return true;
  return text.includes(key);
}

/** What `promise` rejects with; fails the test when it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected a rejection");
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? "";
  } catch {
    return "";
  }
}
