import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, jest } from "@jest/globals";
import { OnceHubClient } from "@oncekey/core";
import { fromFile } from "@oncekey/file";
import { CANARY_KEYS, holdsKey } from "@oncekey/sandbox";
import {
  describeErrorContract,
  holdsStack,
  keyDirectory,
  sandboxTransportOptions,
  useSandbox,
  writeKeyFile,
  type KeyDirectory,
} from "@oncekey/test-support";
import { harness, listen } from "./harness.js";
import { testApp } from "./test-app.js";

describeErrorContract(harness);

describe("oncehubErrors()", () => {
  const sandbox = useSandbox();
  let dir: KeyDirectory;

  beforeAll(async () => {
    dir = await keyDirectory();
    for (const [name, key] of Object.entries(CANARY_KEYS))
      await writeKeyFile(join(dir.path, `canary-${name}`), key);
    // A key with a space in it: the file is there, its content cannot be a key.
    await writeKeyFile(join(dir.path, "broken"), `${CANARY_KEYS.dashed} ${CANARY_KEYS.hex}`);
  });

  afterAll(async () => {
    await dir.remove();
  });

  describe("without onServerFault", () => {
    it("prints one line per server fault to standard error, without the key", async () => {
      const lines: string[] = [];
      const spy = jest
        .spyOn(console, "error")
        .mockImplementation((...args: unknown[]) => void lines.push(args.join(" ")));
      const client = new OnceHubClient({
        keys: fromFile({ path: join(dir.path, "{tenant}") }),
        ...sandboxTransportOptions(sandbox()),
        retry: false,
      });
      const app = await listen(testApp(client).app);
      const answers: string[] = [];
      try {
        for (const tenant of [...Object.keys(CANARY_KEYS).map((name) => `canary-${name}`), "broken"])
          answers.push((await app.call("/h/account", { headers: { "x-tenant": tenant } })).text);
      } finally {
        spy.mockRestore();
        await app.close();
        await client.close();
      }

      expect(lines).toHaveLength(Object.keys(CANARY_KEYS).length + 1);
      expect(lines.every((line) => /^oncekey: (AUTHENTICATION|KEY_FORMAT): /.test(line))).toBe(true);
      for (const key of Object.values(CANARY_KEYS)) expect(holdsKey(lines.join("\n"), key)).toBe(false);
      expect(holdsStack(lines.join("\n"))).toBe(false);
      for (const key of Object.values(CANARY_KEYS)) expect(holdsKey(answers.join("\n"), key)).toBe(false);
      expect(holdsStack(answers.join("\n"))).toBe(false);
    });
  });
});
