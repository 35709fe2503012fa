import { mkdir, realpath, symlink } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "@jest/globals";
import { CANARY_KEYS } from "@oncekey/sandbox";
import { rejectionOf, showsKey, useTempDir } from "@oncekey/test-support";
import { safeFsCause } from "../../src/source.js";

describe(safeFsCause.name, () => {
  const dir = useTempDir();

  it.each(Object.entries(CANARY_KEYS))(
    "keeps the code and the call of Node's error, not the %s canary in its path",
    async (_shape, key) => {
      const path = join(dir.path, key);
      await mkdir(join(dir.path, "canary"), { recursive: true });
      await symlink(path, path);
      const error = await rejectionOf(realpath(path));
      const cause = safeFsCause(error, [key, path], "<the path option>");
      expect(cause).toMatchObject({ name: "Error", code: "ELOOP", syscall: "realpath" });
      expect(cause.message).toBe("ELOOP: too many symbolic links encountered, realpath '<the path option>'");
      expect(showsKey(key, cause)).toBe(false);
    },
  );

  it("leaves the message of a path that may be repeated as it is", async () => {
    const path = join(dir.path, "absent");
    const error = await rejectionOf(realpath(path));
    expect(safeFsCause(error, [], path).message).toBe(
      `ENOENT: no such file or directory, realpath '${path}'`,
    );
  });
});
