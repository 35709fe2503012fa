import { describe, expect, it } from "@jest/globals";

/** Set by each jest configuration: the NestJS major it runs the tests against. */
declare const ONCEKEY_NEST_MAJOR: string;

async function versionOf(manifest: Promise<unknown>): Promise<string> {
  const loaded = (await manifest) as { default?: { version: string }; version?: string };
  return (loaded.default ?? loaded).version ?? "";
}

describe("this run", () => {
  it("tests against the NestJS major its configuration names", async () => {
    const core = await versionOf(import("@nestjs/core/package.json", { with: { type: "json" } }));
    const common = await versionOf(import("@nestjs/common/package.json", { with: { type: "json" } }));

    expect([core.split(".")[0], common.split(".")[0]]).toEqual([ONCEKEY_NEST_MAJOR, ONCEKEY_NEST_MAJOR]);
  });
});
