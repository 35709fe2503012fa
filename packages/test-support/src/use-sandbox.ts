import { afterAll, beforeAll } from "@jest/globals";
import { type OnceHubClientOptions, staticKey } from "@oncekey/core";
import { startSandbox, type Sandbox, type StartSandboxOptions } from "@oncekey/sandbox";

/**
 * Starts a sandbox before the file's (or block's) tests and closes it after them; returns a getter to call inside
 * the tests.
 *
 * @param options - The sandbox's options. @defaultValue `{ rateLimit: false }`
 * @example
 * ```ts
 * const sandbox = useSandbox();
 * it("answers", async () => {
 *   await withClient(sandboxClientOptions(sandbox()), (client) => client.test());
 * });
 * ```
 */
export function useSandbox(options: StartSandboxOptions = { rateLimit: false }): () => Sandbox {
  let sandbox: Sandbox | undefined;
  beforeAll(async () => {
    sandbox = await startSandbox(options);
  });
  afterAll(async () => {
    await sandbox?.close();
    sandbox = undefined;
  });
  return () => {
    if (sandbox === undefined) throw new Error("The sandbox starts in beforeAll: use it inside a test.");
    return sandbox;
  };
}

/**
 * What a client of `sandbox` needs besides its keys: the base URL, the CA, no pacing, retries a few ms apart.
 *
 * @param sandbox - A running sandbox.
 * @example
 * ```ts
 * const client = new OnceHubClient({ keys: fromEnv(), ...sandboxTransportOptions(sandbox()) });
 * ```
 */
export function sandboxTransportOptions(sandbox: Sandbox): Omit<OnceHubClientOptions, "keys"> {
  return {
    baseUrl: sandbox.baseUrl,
    ca: sandbox.ca,
    pacing: false,
    retry: { baseDelayMs: 1, maxDelayMs: 5 },
  };
}

/**
 * Options of a client of `sandbox` with its default key; `extra` overrides any of them.
 *
 * @param sandbox - A running sandbox.
 * @param extra - Options that win over the defaults.
 * @example
 * ```ts
 * const options = sandboxClientOptions(sandbox(), { retry: false });
 * ```
 */
export function sandboxClientOptions(
  sandbox: Sandbox,
  extra: Partial<OnceHubClientOptions> = {},
): OnceHubClientOptions {
  return { keys: staticKey(sandbox.key), ...sandboxTransportOptions(sandbox), ...extra };
}
