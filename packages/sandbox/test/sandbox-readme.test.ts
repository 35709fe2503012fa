import { describe, expect, it } from "@jest/globals";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { Agent, request } from "undici";
import { createTlsMaterial, keyFingerprint, startSandbox } from "../src/index.js";
import { functionBody, readmeBlock } from "./readme-example.js";

// The body of this function is the README's "Quick start" block, verbatim but for its import lines; the second
// test below keeps the two the same.
async function quickStart(console: { log: (...values: unknown[]) => void }): Promise<void> {
  const sandbox = await startSandbox();
  const dispatcher = new Agent({ connect: { ca: sandbox.ca } });

  const res = await request(`${sandbox.baseUrl}/test`, { headers: { "API-Key": sandbox.key }, dispatcher });
  console.log(res.statusCode, await res.body.json());
  // 200 { message: "The API key is valid for account: admin@example.com" }

  const fresh = sandbox.keys.regenerate(sandbox.key); // the old key gets 401 from now on
  const old = await request(`${sandbox.baseUrl}/test`, { headers: { "API-Key": sandbox.key }, dispatcher });
  await old.body.dump();
  console.log(old.statusCode, sandbox.requests.last()?.fingerprint === keyFingerprint(sandbox.key));
  // 401 true: the log names keys by fingerprint, never the key itself
  console.log(keyFingerprint(fresh)); // "sha256:" and 12 hex characters

  await dispatcher.close();
  await sandbox.close();
}

// The README's example of a restart that keeps the URL, the CA and the key.
async function keptAcrossRestarts(console: { log: (...values: unknown[]) => void }): Promise<void> {
  const tls = await createTlsMaterial("my sandbox"); // or read back from files kept across restarts
  const first = await startSandbox({ tls, key: "my-sandbox-key" });
  const port = Number(new URL(first.url).port);
  await first.close();
  const second = await startSandbox({ tls, key: "my-sandbox-key", port }); // same URL, CA and key
  console.log(second.baseUrl === first.baseUrl, second.ca === first.ca, second.key === first.key); // true true true
  await second.close();
}

// The README's example of the per-IP limit.
async function perIpLimit(console: { log: (...values: unknown[]) => void }): Promise<void> {
  const sandbox = await startSandbox({ ipRateLimit: { requests: 60, windowMs: 10_000 }, retryAfter: true });
  // ... clients run against sandbox.baseUrl, trusting sandbox.ca ...
  console.log(sandbox.rateLimited); // { account: 0, ip: 0 }: no request was refused
  await sandbox.close();
}

describe("README", () => {
  it("runs the quick start as printed", async () => {
    const logged: unknown[][] = [];
    await quickStart({ log: (...values) => logged.push(values) });
    expect(logged).toEqual([
      [200, { message: "The API key is valid for account: admin@example.com" }],
      [401, true],
      [expect.stringMatching(/^sha256:[0-9a-f]{12}$/)],
    ]);
  });

  it("shows the same quick start as this test runs", () => {
    const shown = readmeBlock("## Quick start");

    expect(shown).not.toBe("");
    expect(functionBody(__filename, "quickStart")).toBe(shown);
  });

  it.each([
    ["### `startSandbox(options?): Promise<Sandbox>`", keptAcrossRestarts, [[true, true, true]]],
    ["### Rate limits", perIpLimit, [[{ account: 0, ip: 0 }]]],
  ])("runs the example under %s as printed", async (heading, example, expected) => {
    const logged: unknown[][] = [];
    await example({ log: (...values) => logged.push(values) });
    expect(logged).toEqual(expected);
    expect(functionBody(__filename, example.name)).toBe(readmeBlock(heading));
  });

  it("links only to what the packed package holds, so no link breaks on the registry page", () => {
    const packageDir = path.join(__dirname, "..");
    const readme = readFileSync(path.join(packageDir, "README.md"), "utf8");
    const { files } = JSON.parse(readFileSync(path.join(packageDir, "package.json"), "utf8")) as {
      files: string[];
    };
    const relative = [...readme.matchAll(/\]\(([^)\s]+)\)/g)]
      .map((match) => match[1]!)
      .filter((target) => !/^(https?:|mailto:|#)/.test(target));
    const broken = relative.filter((target) => {
      const resolved = path.relative(packageDir, path.resolve(packageDir, target.replace(/#.*$/, "")));
      return (
        resolved.startsWith("..") ||
        !files.some((entry) => resolved.split(path.sep)[0] === entry) ||
        !existsSync(path.join(packageDir, resolved))
      );
    });
    expect(broken).toEqual([]);
  });
});
