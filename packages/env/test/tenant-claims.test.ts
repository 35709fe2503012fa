import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "@jest/globals";
import { settled, useTempDir } from "@oncekey/test-support";
import { fromDotenv, fromEnv } from "../src/index.js";

// Two tenant ids that a mapping sends to one variable: whichever asks first owns it, the other is refused, even
// when both ask at once on a cold cache (the read of the file used to sit between the check and the claim).
const toOneVariable = (tenant: string): string => `ONCEHUB_API_KEY_${tenant.toUpperCase()}`;

describe("a tenant mapping that sends two ids to one variable", () => {
  const dir = useTempDir();

  it("serves the key to one tenant only when fromDotenv is asked for both at once", async () => {
    const path = join(dir.path, ".env");
    await writeFile(path, "ONCEHUB_API_KEY_ACME=acme-key-1234\n", { mode: 0o600 });
    const keys = dir.track(
      fromDotenv({
        path,
        variable: "ONCEHUB_API_KEY_{tenant}",
        tenantToVariable: toOneVariable,
        checkGit: false,
      }),
    );
    const outcomes = await Promise.all(["acme", "Acme"].map((tenant) => settled(keys.getKey({ tenant }))));
    const served = outcomes.filter((outcome) => !(outcome instanceof Error));
    expect(served).toHaveLength(1);
    expect(outcomes.find((outcome) => outcome instanceof Error)).toMatchObject({ code: "INVALID_TENANT" });
  });

  it("serves the key to one tenant only when fromEnv is asked for both at once", async () => {
    const keys = fromEnv({
      variable: "ONCEHUB_API_KEY_{tenant}",
      tenantToVariable: toOneVariable,
      env: { ONCEHUB_API_KEY_ACME: "acme-key-1234" },
    });
    const outcomes = await Promise.all(["acme", "Acme"].map((tenant) => settled(keys.getKey({ tenant }))));
    expect(outcomes.filter((outcome) => !(outcome instanceof Error))).toHaveLength(1);
    await keys.close?.();
  });
});
