import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { fromFile } from "@oncekey/file";
import { CANARY_KEYS } from "@oncekey/sandbox";
import {
  describeErrorContract,
  keyDirectory,
  sandboxTransportOptions,
  useSandbox,
  writeKeyFile,
  type FrameworkApp,
  type KeyDirectory,
} from "@oncekey/test-support";
import { errorLines, harness } from "./harness.js";

describeErrorContract(harness);

describe("oncehubPlugin's error handler", () => {
  const sandbox = useSandbox();
  let dir: KeyDirectory;
  let running: FrameworkApp;

  beforeAll(async () => {
    dir = await keyDirectory();
    for (const [name, key] of Object.entries(CANARY_KEYS))
      await writeKeyFile(join(dir.path, `canary-${name}`), key);
    running = await harness.start({
      client: {
        keys: fromFile({ path: join(dir.path, "{tenant}") }),
        ...sandboxTransportOptions(sandbox()),
        retry: false,
      },
    });
  });

  afterAll(async () => {
    await running.close();
    await dir.remove();
  });

  /** What the app's logger wrote at `error` while `path` was answered. */
  async function loggedFor(path: string, headers: Record<string, string> = {}) {
    const from = running.logLines.length;
    await running.call(path, { headers });
    return errorLines(running.logLines.slice(from));
  }

  describe("when it answers a server fault", () => {
    it.each(Object.keys(CANARY_KEYS))(
      "logs a refused key with request.log at error, with the code and the status answered (%s)",
      async (name) => {
        expect(await loggedFor("/h/account", { "x-tenant": `canary-${name}` })).toEqual([
          expect.objectContaining({
            oncekey: { code: "AUTHENTICATION", status: 502 },
            msg: expect.stringMatching(/rejected/),
          }),
        ]);
      },
    );

    it("logs a missing server key with the code and the status answered", async () => {
      expect(await loggedFor("/own/account")).toEqual([
        expect.objectContaining({ oncekey: { code: "KEY_NOT_FOUND", status: 500 } }),
      ]);
    });
  });
});
