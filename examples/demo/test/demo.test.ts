import { describe, expect, it } from "@jest/globals";
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

describe("the demo", () => {
  it("runs from start to end and never prints a key", async () => {
    const { stdout, stderr } = await run(process.execPath, [join(__dirname, "..", "demo.mjs")], {
      timeout: 50_000,
    });
    expect(stderr).toBe("");
    expect(stdout).toContain("GET /test -> The API key is valid for account: admin@example.com");
    expect(stdout).toContain("37 bookings in all");
    expect(stdout).toMatch(/The file watch picked up the new key: sha256:[0-9a-f]{12} from file:/);
    expect(stdout).toContain("A 401 made the client wait for the new key and replay the call");
    expect(stdout).toMatch(/booking\.scheduled EVNT-\w+: signature valid/);
    expect(stdout).toMatch(/The sandbox saw \d+ requests from 3 keys/);
    expect(stdout.trimEnd().endsWith("Done.")).toBe(true);
    // Sandbox keys are 43 base64url characters; nothing of that shape may reach the output.
    expect(stdout).not.toMatch(/[A-Za-z0-9_-]{43}/);
  });
});
