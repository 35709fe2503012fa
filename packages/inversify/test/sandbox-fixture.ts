import { afterAll, beforeAll } from "@jest/globals";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startSandbox, type Sandbox, type StartSandboxOptions } from "@oncekey/sandbox";

/** A running sandbox, its CA in a temp file (for ONCEKEY_CA_FILE), and the temp directory to put keys in. */
export interface SandboxFixture {
  readonly sandbox: Sandbox;
  readonly caFile: string;
  readonly dir: string;
  /** The variables that point a client at the sandbox. */
  readonly env: Readonly<Record<string, string>>;
  close(): Promise<void>;
}

export async function startSandboxFixture(options: StartSandboxOptions = {}): Promise<SandboxFixture> {
  const sandbox = await startSandbox({ rateLimit: false, bookings: 3, ...options });
  const dir = await mkdtemp(join(tmpdir(), "oncekey-inversify-"));
  const caFile = join(dir, "sandbox-ca.pem");
  await writeFile(caFile, sandbox.ca);
  return {
    sandbox,
    caFile,
    dir,
    env: { ONCEHUB_BASE_URL: sandbox.baseUrl, ONCEKEY_CA_FILE: caFile },
    async close() {
      await sandbox.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Starts a {@link SandboxFixture} before the file's tests and closes it after them; the returned object reads the
 * running one, so tests use `fixture.sandbox`, `fixture.env` … as with a variable.
 */
export function useSandboxFixture(options: StartSandboxOptions = {}): SandboxFixture {
  let current: SandboxFixture | undefined;
  beforeAll(async () => {
    current = await startSandboxFixture(options);
  });
  afterAll(async () => {
    await current?.close();
  });
  const running = (): SandboxFixture => {
    if (current === undefined) throw new Error("The sandbox fixture runs only inside this file's tests.");
    return current;
  };
  return {
    get sandbox() {
      return running().sandbox;
    },
    get caFile() {
      return running().caFile;
    },
    get dir() {
      return running().dir;
    },
    get env() {
      return running().env;
    },
    close: () => running().close(),
  };
}
