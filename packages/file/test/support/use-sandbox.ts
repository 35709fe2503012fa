import { afterAll, beforeAll } from "@jest/globals";
import { startSandbox, type Sandbox } from "@oncekey/sandbox";

/** Starts one OnceHub sandbox (no rate limit) for the test file, and closes it after the last test. */
export function useSandbox(): { readonly sandbox: Sandbox } {
  let sandbox: Sandbox | undefined;
  beforeAll(async () => {
    sandbox = await startSandbox({ rateLimit: false });
  });
  afterAll(async () => {
    await sandbox?.close();
  });
  return {
    get sandbox(): Sandbox {
      if (sandbox === undefined)
        throw new Error("useSandbox: the sandbox runs only while the file's tests do");
      return sandbox;
    },
  };
}
