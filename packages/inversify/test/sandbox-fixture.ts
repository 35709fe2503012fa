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
