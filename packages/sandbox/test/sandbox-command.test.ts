import { afterEach, describe, expect, it } from "@jest/globals";
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Agent } from "undici";
import { runSandboxCommand } from "../src/index.js";
import { call } from "./sandbox-helpers.js";

/** A stream stand-in that collects what is written and resolves once something is. */
function capture(): { text: () => string; written: Promise<void>; write(chunk: string): boolean } {
  let out = "";
  let notify: () => void = () => undefined;
  const written = new Promise<void>((resolve) => (notify = resolve));
  return {
    text: () => out,
    written,
    write(chunk: string) {
      out += chunk;
      notify();
      return true;
    },
  };
}

const field = (text: string, label: string): string =>
  new RegExp(`^  ${label} +(\\S+)`, "m").exec(text)?.[1] ?? "";

describe(runSandboxCommand.name, () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  describe("when started", () => {
    it("prints the URL, base URL, a working key and a CA file, then stops cleanly when aborted", async () => {
      const stdout = capture();
      const controller = new AbortController();
      const running = runSandboxCommand(["--rate-limit", "off"], { stdout, signal: controller.signal });
      cleanup.push(async () => {
        controller.abort();
        await running;
      });
      await stdout.written;

      const text = stdout.text();
      const url = field(text, "URL");
      const baseUrl = field(text, "Base URL");
      const key = field(text, "API key");
      const caFile = field(text, "CA file");
      expect(url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      expect(baseUrl).toBe(`${url}/v2`);
      expect(text).toContain(`ONCEHUB_API_KEY=${key}`);
      expect(text).toContain(`ONCEKEY_CA_FILE=${caFile}`);

      const agent = new Agent({ connect: { ca: readFileSync(caFile, "utf8") } });
      try {
        expect((await call(agent, `${baseUrl}/test`, { key })).status).toBe(200);
      } finally {
        await agent.close();
      }

      controller.abort();
      await expect(running).resolves.toBe(0);
      expect(stdout.text()).toContain("OnceHub sandbox stopped.");
      expect(existsSync(caFile)).toBe(false);
    });

    it("writes the CA where --ca-file says, and leaves it there", async () => {
      const dir = await mkdtemp(path.join(tmpdir(), "oncekey-sandbox-test-"));
      cleanup.push(() => rm(dir, { recursive: true, force: true }));
      const caFile = path.join(dir, "sandbox-ca.pem");
      const controller = new AbortController();
      controller.abort();
      const stdout = capture();
      await expect(
        runSandboxCommand(["--ca-file", caFile, "--bookings", "3"], { stdout, signal: controller.signal }),
      ).resolves.toBe(0);
      expect(field(stdout.text(), "CA file")).toBe(caFile);
      expect(readFileSync(caFile, "utf8")).toContain("BEGIN CERTIFICATE");
    });
  });

  describe("with --help", () => {
    it("prints the usage and exits 0 without starting", async () => {
      const stdout = capture();
      await expect(runSandboxCommand(["--help"], { stdout })).resolves.toBe(0);
      expect(stdout.text()).toMatch(/^Usage: oncekey-sandbox/);
    });
  });

  describe("with a bad argument", () => {
    it.each([
      [["--nope"]],
      [["--port", "http"]],
      [["--rate-limit", "fast"]],
      [["--port", "70000"]],
      [["--rate-limit", "0"]],
      [["--email", "nobody"]],
    ])("exits 2 with the usage: %j", async (argv: string[]) => {
      const stderr = capture();
      await expect(runSandboxCommand(argv, { stderr, stdout: capture() })).resolves.toBe(2);
      expect(stderr.text()).toContain("Usage: oncekey-sandbox");
    });
  });
});
