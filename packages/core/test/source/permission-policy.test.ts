import { describe, expect, it } from "@jest/globals";
import { eventLog } from "@oncekey/test-support";
import { EventHub, PermissionPolicy, type FilePermissions } from "../../src/source.js";

const file = {
  path: "/run/secrets/oncehub",
  phrase: "the key file /run/secrets/oncehub",
  source: "file:/run/secrets/oncehub",
};

describe(PermissionPolicy.name, () => {
  const policy = (
    permissions: FilePermissions,
  ): { policy: PermissionPolicy; log: ReturnType<typeof eventLog> } => {
    const log = eventLog();
    const events = new EventHub(undefined);
    events.subscribe(log.onEvent);
    return { policy: new PermissionPolicy({ permissions, events, setting: "the permissions option" }), log };
  };

  it("refuses a file others may read under refuse, saying how to restrict it", () => {
    const { policy: refusing } = policy("refuse");
    expect(refusing.check(file, 0o100644)).toMatchObject({
      code: "KEY_SOURCE",
      source: file.source,
      message: expect.stringMatching(
        /^The key file \/run\/secrets\/oncehub is readable by group and others \(mode 0644\)/,
      ),
    });
    expect(refusing.check(file, 0o100600)).toBeUndefined();
  });

  it("warns once per file under warn, to every subscriber", () => {
    const { policy: warning, log } = policy("warn");
    for (let i = 0; i < 3; i++) expect(warning.check(file, 0o100640)).toBeUndefined();
    expect(warning.check({ ...file, path: "/run/secrets/other" }, 0o100604)).toBeUndefined();
    expect(
      log
        .ofType("key:warning")
        .map((event) => [event.code, event.message.match(/readable by (.*?) \(/)?.[1]]),
    ).toEqual([
      ["FILE_PERMISSIONS", "its group"],
      ["FILE_PERMISSIONS", "others"],
    ]);
  });

  it("says nothing under ignore", () => {
    const { policy: ignoring, log } = policy("ignore");
    expect(ignoring.check(file, 0o100666)).toBeUndefined();
    expect(log.events).toEqual([]);
  });
});
