import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "@jest/globals";
import { resolveKeyProvider, type KeyProvider } from "@oncekey/core";
import { CANARY_KEYS, holdsKey, printedForms } from "@oncekey/sandbox";
import { rejectionOf } from "@oncekey/test-support";
import { fileSource } from "../src/index.js";
import { envSource } from "./support/env-source.js";
import { writeKeyFile } from "./support/key-file.js";
import { useKeyFiles } from "./support/use-key-files.js";

const shapes = Object.entries(CANARY_KEYS);
const files = useKeyFiles({ watch: false });
const resolve = (env: Record<string, string | undefined>): KeyProvider =>
  files.track(resolveKeyProvider(env, [fileSource, envSource]));

describe("a key pasted into the wrong setting", () => {
  describe("when it is ONCEKEY_FILE_PATH", () => {
    it.each(shapes)("never repeats the %s key, at start-up or at getKey", async (_shape, key) => {
      const outcome = await rejectionOf(
        Promise.resolve().then(() => resolve({ ONCEKEY_SOURCE: "file", ONCEKEY_FILE_PATH: key }).getKey()),
      );
      expect(outcome).toMatchObject({ code: expect.stringMatching(/^(CONFIG|KEY_NOT_FOUND)$/) });
      expect(holdsKey(printedForms(outcome), key)).toBe(false);
    });

    it("names the variable in place of a key with a /", async () => {
      const error = await rejectionOf(
        resolve({ ONCEKEY_SOURCE: "file", ONCEKEY_FILE_PATH: CANARY_KEYS.base64 }).getKey(),
      );
      expect(error).toMatchObject({
        code: "KEY_NOT_FOUND",
        source: "file:<ONCEKEY_FILE_PATH>",
        message: expect.stringContaining(
          `No OnceHub API key file at the path named by ONCEKEY_FILE_PATH (a relative path of ` +
            `${CANARY_KEYS.base64.length} characters, in the working directory ${process.cwd()}). `,
        ),
      });
    });

    it("still names an absolute path", async () => {
      const path = join(files.dir, "absent");
      await expect(
        resolve({ ONCEKEY_SOURCE: "file", ONCEKEY_FILE_PATH: path }).getKey(),
      ).rejects.toMatchObject({
        source: `file:${path}`,
        message: expect.stringMatching(new RegExp(`^No OnceHub API key file at ${path}\\. `)),
      });
    });
  });

  describe("when it is fromFile's path", () => {
    it.each(shapes)("never repeats the %s key", async (_shape, key) => {
      const error = await rejectionOf(files.open({ path: key }).getKey());
      expect(error).toMatchObject({ code: "KEY_NOT_FOUND", source: "file:<the path option>" });
      expect(holdsKey(printedForms(error), key)).toBe(false);
    });

    it("never repeats a key made a per-tenant path", async () => {
      const key = CANARY_KEYS.base64;
      const keys = files.open({ path: `${key}/{tenant}` });
      for (const request of [undefined, { tenant: "acme" }]) {
        expect(holdsKey(printedForms(await rejectionOf(keys.getKey(request))), key)).toBe(false);
      }
      expect(
        holdsKey(printedForms(await rejectionOf(files.open({ path: key }).getKey({ tenant: "acme" }))), key),
      ).toBe(false);
    });

    it("serves a key from a long relative path without repeating the path in the key or events", async () => {
      const relative = "config/secrets/oncehub_api_key_production";
      const cwd = process.cwd();
      await mkdir(join(files.dir, "config", "secrets"), { recursive: true });
      await writeKeyFile(join(files.dir, relative), "k-relative-0123456789", 0o644);
      process.chdir(files.dir);
      try {
        const key = await files.open({ path: relative }).getKey();
        expect(key.source).toBe("file:<the path option>");
        expect(files.events.map((e) => e.type)).toContain("key:warning");
        for (const item of [key, ...files.events])
          expect(printedForms(item)).not.toContain("oncehub_api_key_production");
      } finally {
        process.chdir(cwd);
      }
    });
  });
});
