import { describe, expect, it } from "@jest/globals";
import { ownerChange } from "../src/rotate/owner-change.js";

describe(ownerChange.name, () => {
  it("leaves a new file that already has the original's owner, even in a group the process is not in", () => {
    // A setgid directory of group 500 gave the new file the group the original has: nothing to change (a chown
    // to it could be refused).
    expect(ownerChange({ uid: 1000, gid: 500 }, { uid: 1000, gid: 500 })).toBeUndefined();
  });

  it("gives back the original's group when the setgid directory gave the new file its own", () => {
    expect(ownerChange({ uid: 1000, gid: 1000 }, { uid: 1000, gid: 500 })).toEqual({ uid: 1000, gid: 1000 });
  });

  it("gives back the original's user and group when root created the new file", () => {
    expect(ownerChange({ uid: 1234, gid: 1234 }, { uid: 0, gid: 0 })).toEqual({ uid: 1234, gid: 1234 });
  });
});
