/**
 * Canary keys in the shapes a real key takes, to push through your own code and then search for in what it
 * printed: with `-`; base64url without `-` (a valid environment variable name); 32 hex digits starting with a
 * letter (a valid variable, source or Key Vault secret name); standard base64 with `/` and `+` (a relative path).
 * Each shape slips past a different "does this look like a key?" guess, which is the point.
 *
 * None of them is a key the sandbox knows: they are for leak tests, not for requests.
 *
 * @example
 * ```ts
 * for (const key of Object.values(CANARY_KEYS)) {
 *   const error = await loadMyConfig({ MY_KEY_PATH: key }).catch((e: unknown) => e);
 *   expect(holdsKey(printedForms(error), key)).toBe(false);
 * }
 * ```
 */
export const CANARY_KEYS = {
  dashed: "canary-ohk-7f3a9c2e5b1d4f6a8c0e2b4d6f8a1c3e",
  base64url: "canaryOhk_7f3a9c2e5b1d4f6a8c0e2b4d6f8a1c3eXYZ",
  hex: "cafe7f3a9c2e5b1d4f6a8c0e2b4d6f8a",
  base64: "canary/ohk+7f3a9c2e5b1d4f6a8c0e2b4d6f8a1c3e",
} as const;
