import { OnceHubClient, type OnceHubClientOptions } from "@oncekey/core";

/**
 * Runs `use` with a new client and closes the client afterwards, whatever happens.
 *
 * @param options - The client's options.
 * @param use - The test's work with the client.
 * @example
 * ```ts
 * const { account } = await withClient(sandboxClientOptions(sandbox()), (client) => client.test());
 * ```
 */
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
