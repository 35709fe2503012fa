import { mkdir, symlink } from "node:fs/promises";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, it } from "@jest/globals";
import { CANARY_KEYS } from "@oncekey/sandbox";
import { resolveKeyProvider } from "@oncekey/core";
import { rejectionOf, showsKey, useTempDir } from "@oncekey/test-support";
import { dotenvSource, fromDotenv } from "../src/index.js";

// A key pasted as a relative .env path (an option, or ONCEKEY_DOTENV_PATH) is not repeated in the message; Node's
// own error, kept as the cause, names the path too, and must not repeat it either.
describe("a .env path that is not repeated", () => {
  const dir = useTempDir();
  const cwd = process.cwd();
  afterEach(() => process.chdir(cwd));

  describe.each(Object.entries(CANARY_KEYS))("(the %s canary as a relative path)", (_shape, key) => {
    it("is not repeated by the cause of a link loop (ELOOP)", async () => {
      process.chdir(dir.path);
      await mkdir(dirname(join(dir.path, key)), { recursive: true });
      await symlink(join(dir.path, key), join(dir.path, key));
      const keys = dir.track(
        resolveKeyProvider({ ONCEKEY_SOURCE: "dotenv", ONCEKEY_DOTENV_PATH: key }, [dotenvSource]),
      );
      const error = await rejectionOf(keys.getKey());
      expect(error).toMatchObject({
        code: "KEY_SOURCE",
        source: "dotenv:<ONCEKEY_DOTENV_PATH>",
        cause: expect.objectContaining({ code: "ELOOP", syscall: "stat" }),
      });
      expect(showsKey(key, error)).toBe(false);
    });

    it("is not repeated by the cause of a name too long (ENAMETOOLONG)", async () => {
      process.chdir(dir.path);
      const path = key.replaceAll("/", "-").repeat(8);
      const error = await rejectionOf(
        dir.track(fromDotenv({ path, watch: false, checkGit: false })).getKey(),
      );
      expect(error).toMatchObject({
        code: "KEY_SOURCE",
        cause: expect.objectContaining({ code: "ENAMETOOLONG" }),
      });
      expect(showsKey(key, error)).toBe(false);
    });
  });
});
