import { afterAll, beforeAll } from "@jest/globals";
import { startSandbox, type Sandbox, type StartSandboxOptions } from "@oncekey/sandbox";
import { OnceHubClient, type OnceHubClientOptions, staticKey } from "../../src/index.js";

/**
 * Starts a sandbox before the file's tests and closes it after them; returns a getter for use inside the tests.
 *
 * @param options - The sandbox's options; by default without rate limit.
 */
export function useSandbox(options: StartSandboxOptions = { rateLimit: false }): () => Sandbox {
  let sandbox: Sandbox | undefined;
  beforeAll(async () => {
    sandbox = await startSandbox(options);
  });
  afterAll(async () => {
    await sandbox?.close();
  });
  return () => {
    if (sandbox === undefined) throw new Error("The sandbox starts in beforeAll: use it inside a test.");
    return sandbox;
  };
}

/** What a client of `sandbox` needs besides its keys: the base URL, the CA, no pacing, retries a few ms apart. */
export function sandboxTransportOptions(sandbox: Sandbox): Omit<OnceHubClientOptions, "keys"> {
  return {
    baseUrl: sandbox.baseUrl,
    ca: sandbox.ca,
    pacing: false,
    retry: { baseDelayMs: 1, maxDelayMs: 5 },
  };
}

/** Options of a client of `sandbox` with its default key; `extra` overrides any of them. */
export function sandboxClientOptions(
  sandbox: Sandbox,
  extra: Partial<OnceHubClientOptions> = {},
): OnceHubClientOptions {
  return { keys: staticKey(sandbox.key), ...sandboxTransportOptions(sandbox), ...extra };
}

/** Runs `use` with a new client and closes the client afterwards, whatever happens. */
export async function withClient<T>(
  options: OnceHubClientOptions,
  use: (client: OnceHubClient) => Promise<T>,
): Promise<T> {
  const client = new OnceHubClient(options);
  try {
    return await use(client);
  } finally {
    await client.close();
  }
}
