import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll } from "@jest/globals";
import type { Sandbox } from "@oncekey/sandbox";
import { createTenants } from "../tenants/create-tenants.js";
import { keyDirectory, type KeyDirectory } from "../tenants/key-directory.js";

/**
 * Sets up, for a whole file, the environment a README's example reads: tenant `acme`'s key in a key file of its
 * own (`ONCEKEY_SOURCE=file`, `ONCEKEY_FILE_PATH=<dir>/{tenant}`), the sandbox as OnceHub (`ONCEHUB_BASE_URL`,
 * `ONCEKEY_CA_FILE`), `ONCEHUB_WEBHOOK_SECRET` and `PORT=0`; restores `process.env` and removes the files after.
 *
 * @param sandbox - The file's sandbox getter, from `useSandbox`.
 * @param webhookSecret - `ONCEHUB_WEBHOOK_SECRET`. @defaultValue "whsec-readme"
 * @returns A getter of the key files' directory, to call inside the tests.
 * @example
 * ```ts
 * const sandbox = useSandbox({ rateLimit: false, bookings: 3 });
 * const keys = useReadmeEnvironment(sandbox);
 * it("runs the example", () => {
 *   readFileSync(join(keys().path, "acme"), "utf8");
 * });
 * ```
 */
export function useReadmeEnvironment(
  sandbox: () => Sandbox,
  webhookSecret = "whsec-readme",
): () => KeyDirectory {
  const saved = { ...process.env };
  let dir: KeyDirectory | undefined;
  beforeAll(async () => {
    dir = await keyDirectory();
    await createTenants(sandbox(), dir.path, ["acme"]);
    await writeFile(join(dir.path, "ca.pem"), sandbox().ca);
    Object.assign(process.env, {
      ONCEKEY_SOURCE: "file",
      ONCEKEY_FILE_PATH: join(dir.path, "{tenant}"),
      ONCEHUB_BASE_URL: sandbox().baseUrl,
      ONCEKEY_CA_FILE: join(dir.path, "ca.pem"),
      ONCEHUB_WEBHOOK_SECRET: webhookSecret,
      PORT: "0",
    });
  });
  afterAll(async () => {
    for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
    Object.assign(process.env, saved);
    await dir?.remove();
    dir = undefined;
  });
  return () => {
    if (dir === undefined)
      throw new Error("The README's environment is set in beforeAll: use it inside a test.");
    return dir;
  };
}
