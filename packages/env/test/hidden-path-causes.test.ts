import { mkdir, symlink } from "node:fs/promises";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, it } from "@jest/globals";
import { CANARY_KEYS } from "@oncekey/sandbox";
import { rejectionOf, showsKey, useTempDir } from "@oncekey/test-support";
import { fromDotenv } from "../src/index.js";

// A key pasted as a relative .env path is not repeated in the message; Node's own error, kept as the cause, names
// the path too, and must not repeat it either.
describe("a .env path that is not repeated", () => {
  const dir = useTempDir();
  const cwd = process.cwd();
  afterEach(() => process.chdir(cwd));

  describe.each(Object.entries(CANARY_KEYS))("(the %s canary as a relative path)", (_shape, key) => {
    it("is not repeated by the cause of a link loop (ELOOP)", async () => {
      process.chdir(dir.path);
      await mkdir(dirname(join(dir.path, key)), { recursive: true });
      await symlink(join(dir.path, key), join(dir.path, key));
      const error = await rejectionOf(
        dir.track(fromDotenv({ path: key, watch: false, checkGit: false })).getKey(),
      );
      expect(error).toMatchObject({ code: "KEY_SOURCE", cause: expect.objectContaining({ code: "ELOOP" }) });
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
