import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll } from "@jest/globals";
import type { Sandbox, StartSandboxOptions } from "@oncekey/sandbox";
import { useSandbox } from "@oncekey/test-support";

/** What {@link useSandboxEnv} gives a test file; each member is read inside the tests. */
export interface SandboxEnv {
  readonly sandbox: Sandbox;
  /** The variables that point a module at the sandbox: `ONCEHUB_BASE_URL` and `ONCEKEY_CA_FILE`. */
  readonly env: Readonly<Record<string, string>>;
  /** The sandbox's CA, in a file (`ONCEKEY_CA_FILE`). */
  readonly caFile: string;
  /** A temporary directory for the file's keys and `.env` files, removed after the file's tests. */
  readonly dir: string;
}

/**
 * A sandbox (test-support's `useSandbox`) and the variables that point `OnceKeyModule.fromEnvironment` at it, with
 * its CA written to a temporary file, for the file's tests.
 *
 * @param options - The sandbox's options. @defaultValue `{ rateLimit: false }`
 * @example
 * ```ts
 * const fixture = useSandboxEnv();
 * it("calls the sandbox", async () => {
 *   const env = { ...fixture.env, ONCEHUB_API_KEY: fixture.sandbox.key };
 *   …
 * });
 * ```
 */
export function useSandboxEnv(options: StartSandboxOptions = {}): SandboxEnv {
  const sandbox = useSandbox({ rateLimit: false, ...options });
  let dir: string | undefined;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "oncekey-inversify-"));
    await writeFile(join(dir, "sandbox-ca.pem"), sandbox().ca);
  });
  afterAll(async () => {
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
    dir = undefined;
  });
  const running = (): string => {
    if (dir === undefined) throw new Error("useSandboxEnv: the sandbox runs only inside this file's tests.");
    return dir;
  };
  return {
    get sandbox() {
      return sandbox();
    },
    get dir() {
      return running();
    },
    get caFile() {
      return join(running(), "sandbox-ca.pem");
    },
    get env() {
      return { ONCEHUB_BASE_URL: sandbox().baseUrl, ONCEKEY_CA_FILE: join(running(), "sandbox-ca.pem") };
    },
  };
}
