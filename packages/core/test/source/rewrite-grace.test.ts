import { describe, expect, it } from "@jest/globals";
import { KeyFormatError, KeyNotFoundError, KeySourceError } from "../../src/index.js";
import { RewriteGrace } from "../../src/source.js";

const subject = { what: "The key file /k", source: "file:/k" };

describe(RewriteGrace.name, () => {
  it("makes a served key's not found and bad format transient for the grace, keeping class and cause", () => {
    const grace = new RewriteGrace(5_000, 10);
    grace.served("/k");
    const gone = new KeyNotFoundError("gone");
    const broken = new KeyFormatError("broken");
    expect(grace.excuse("/k", gone, subject, 1_000)).toMatchObject({
      code: "KEY_NOT_FOUND",
      transient: true,
      cause: gone,
      message: expect.stringContaining("The key file /k, which held a key, is gone (for 0 ms)"),
    });
    expect(grace.excuse("/k", broken, subject, 3_000)).toMatchObject({ code: "KEY_FORMAT", transient: true });
    // The grace runs from the first failure seen: past it, the error stands as it is.
    expect(grace.excuse("/k", gone, subject, 6_000)).toBe(gone);
  });

  it("runs the grace from the change the source reports, when it knows", () => {
    const grace = new RewriteGrace(5_000, 10);
    grace.served("/k");
    const gone = new KeyNotFoundError("gone");
    expect(grace.excuse("/k", gone, { ...subject, changedAt: 0 }, 6_000)).toBe(gone);
  });

  it("excuses nothing for a key never served, another failure, or a zero grace", () => {
    const grace = new RewriteGrace(5_000, 10);
    const gone = new KeyNotFoundError("gone");
    expect(grace.excuse("/k", gone, subject)).toBe(gone);
    grace.served("/k");
    const failed = new KeySourceError("EACCES");
    expect(grace.excuse("/k", failed, subject)).toBe(failed);
    const none = new RewriteGrace(0, 10);
    none.served("/k");
    expect(none.excuse("/k", gone, subject)).toBe(gone);
  });

  it("forgets the least recently served key past its bound", () => {
    const grace = new RewriteGrace(5_000, 2);
    for (const id of ["/a", "/b", "/c"]) grace.served(id);
    const gone = new KeyNotFoundError("gone");
    expect(grace.excuse("/a", gone, subject)).toBe(gone);
    expect(grace.excuse("/c", gone, subject)).not.toBe(gone);
  });
});
