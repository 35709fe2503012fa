import { afterEach, describe, expect, it } from "@jest/globals";
import { execFile } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import { chmod, mkdtemp, rm, unlink, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { Agent } from "undici";
import { CANARY_KEYS, holdsKey, runSandboxCommand } from "../src/index.js";
import { call } from "./sandbox-helpers.js";

const run = promisify(execFile);

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

/** The value on the banner's line for `label` (the URL, base URL, API key and CA file lines hold only that). */
const field = (text: string, label: string): string =>
  new RegExp(`^  ${label} +(.+)$`, "m").exec(text)?.[1] ?? "";

/** A port nothing listens on right now. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const mode = (file: string): number => statSync(file).mode & 0o777;

describe(runSandboxCommand.name, () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  async function tempDir(): Promise<string> {
    const dir = await mkdtemp(path.join(tmpdir(), "oncekey sandbox test-"));
    cleanup.push(() => rm(dir, { recursive: true, force: true }));
    return dir;
  }

  /** Runs the command until the test ends (or `stop()`), once its banner is out. */
  async function serve(
    argv: string[],
  ): Promise<{ text: string; stop: () => Promise<number>; stdout: ReturnType<typeof capture> }> {
    const stdout = capture();
    const stderr = capture();
    const controller = new AbortController();
    const running = runSandboxCommand(argv, { stdout, stderr, signal: controller.signal });
    const stop = async () => {
      controller.abort();
      return running;
    };
    cleanup.push(async () => void (await stop()));
    await Promise.race([stdout.written, running.then(() => Promise.reject(new Error(stderr.text())))]);
    return { text: stdout.text(), stop, stdout };
  }

  describe("when started", () => {
    it("prints the URL, base URL, a working key and a CA file, then stops cleanly when aborted", async () => {
      const { text, stop, stdout } = await serve(["--rate-limit", "off"]);
      const url = field(text, "URL");
      const baseUrl = field(text, "Base URL");
      const key = field(text, "API key");
      const caFile = field(text, "CA file");
      expect(url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      expect(baseUrl).toBe(`${url}/v2`);
      expect(text).toContain(`export ONCEHUB_BASE_URL=${baseUrl}\n`);
      expect(text).toContain(`export ONCEHUB_API_KEY=${key}\n`);
      expect(text).toContain(`export ONCEKEY_CA_FILE=${caFile}\n`);

      const agent = new Agent({ connect: { ca: readFileSync(caFile, "utf8") } });
      try {
        expect((await call(agent, `${baseUrl}/test`, { key })).status).toBe(200);
      } finally {
        await agent.close();
      }

      await expect(stop()).resolves.toBe(0);
      expect(stdout.text()).toMatch(/\nOnceHub sandbox stopped\.\n$/);
      expect(existsSync(caFile)).toBe(false);
    });
  });

  describe("with --key-file and --ca-file", () => {
    it("writes a new key (0600), CA (0644) and server key (0600) on the first start", async () => {
      const dir = await tempDir();
      const keyFile = path.join(dir, "state", "sandbox.key");
      const caFile = path.join(dir, "state", "sandbox-ca.pem");
      const { text } = await serve(["--key-file", keyFile, "--ca-file", caFile]);

      expect(readFileSync(keyFile, "utf8")).toBe(`${field(text, "API key")}\n`);
      expect(field(text, "CA file")).toBe(caFile);
      expect(readFileSync(caFile, "utf8")).toMatch(/^-----BEGIN CERTIFICATE-----/);
      const serverKeyFile = path.join(dir, "state", "sandbox-ca-server-key.pem");
      expect(readFileSync(serverKeyFile, "utf8")).toMatch(/BEGIN CERTIFICATE[\s\S]*BEGIN PRIVATE KEY/);
      expect(readFileSync(serverKeyFile, "utf8")).not.toContain(readFileSync(caFile, "utf8"));
      if (process.platform !== "win32") {
        expect([mode(keyFile), mode(serverKeyFile)]).toEqual([0o600, 0o600]);
        expect(mode(caFile) & 0o600).toBe(0o600);
      }
      expect(text).toContain(`Key file    ${keyFile} (written now, kept)`);
    });

    it("keeps an already configured client working across a restart with the same files", async () => {
      const dir = await tempDir();
      const port = await freePort();
      const argv = [
        "--port",
        String(port),
        "--key-file",
        path.join(dir, "key"),
        "--ca-file",
        path.join(dir, "ca.pem"),
        "--rate-limit",
        "off",
      ];
      const first = await serve(argv);
      const baseUrl = field(first.text, "Base URL");
      const key = field(first.text, "API key");
      expect(first.text).toContain(
        `  eval "$(oncekey-sandbox --print-env --port ${port} --key-file '${path.join(dir, "key")}' ` +
          `--ca-file '${path.join(dir, "ca.pem")}')"\n`,
      );
      // Configured once, as an app is: the base URL, the key and the CA file the first run printed.
      const agent = new Agent({ connect: { ca: readFileSync(field(first.text, "CA file"), "utf8") } });
      cleanup.push(() => agent.close());
      expect((await call(agent, `${baseUrl}/test`, { key })).status).toBe(200);

      await expect(first.stop()).resolves.toBe(0);
      await expect(call(agent, `${baseUrl}/test`, { key })).rejects.toThrow(/ECONNREFUSED/);

      const second = await serve(argv);
      expect(field(second.text, "Base URL")).toBe(baseUrl);
      expect(field(second.text, "API key")).toBe(key);
      expect(second.text).toContain("(read, kept)");
      const reply = await call(agent, `${baseUrl}/test`, { key });
      expect(reply).toMatchObject({
        status: 200,
        body: { message: expect.stringContaining("admin@example.com") },
      });
    });

    it("refuses a server key file that others can read, saying how to fix it", async () => {
      if (process.platform === "win32") return;
      const dir = await tempDir();
      const caFile = path.join(dir, "ca.pem");
      await (await serve(["--ca-file", caFile])).stop();
      const serverKeyFile = path.join(dir, "ca-server-key.pem");
      await chmod(serverKeyFile, 0o644);

      const stderr = capture();
      await expect(runSandboxCommand(["--ca-file", caFile], { stderr, stdout: capture() })).resolves.toBe(2);
      expect(stderr.text()).toContain(
        `others can read or write it (mode 644); run: chmod 600 ${serverKeyFile}`,
      );
      expect(stderr.text()).not.toMatch(/PRIVATE KEY/);
    });

    it("refuses a CA file without its server key file, and says what to do", async () => {
      const dir = await tempDir();
      const caFile = path.join(dir, "ca.pem");
      await (await serve(["--ca-file", caFile])).stop();
      await unlink(path.join(dir, "ca-server-key.pem"));

      const stderr = capture();
      await expect(runSandboxCommand(["--ca-file", caFile], { stderr, stdout: capture() })).resolves.toBe(2);
      expect(stderr.text()).toMatch(
        /ca\.pem exists but .*ca-server-key\.pem does not: the two are made together/,
      );
    });

    it("refuses TLS files that do not belong together", async () => {
      const [one, two] = [await tempDir(), await tempDir()];
      await (await serve(["--ca-file", path.join(one, "ca.pem")])).stop();
      await (await serve(["--ca-file", path.join(two, "ca.pem")])).stop();
      await writeFile(path.join(one, "ca.pem"), readFileSync(path.join(two, "ca.pem")));

      const stderr = capture();
      const argv = ["--ca-file", path.join(one, "ca.pem")];
      await expect(runSandboxCommand(argv, { stderr, stdout: capture() })).resolves.toBe(2);
      expect(stderr.text()).toMatch(/the server certificate in .* was not signed by the CA certificate in /);
      expect(stderr.text()).toContain("To start afresh, delete");
    });

    it("refuses a key file that holds no valid key, without quoting it", async () => {
      const dir = await tempDir();
      const keyFile = path.join(dir, "key");
      const content = `${CANARY_KEYS.base64url} ${CANARY_KEYS.hex}\n`;
      await writeFile(keyFile, content, { mode: 0o600 });

      const stderr = capture();
      await expect(runSandboxCommand(["--key-file", keyFile], { stderr, stdout: capture() })).resolves.toBe(
        2,
      );
      expect(stderr.text()).toContain(`the key in ${keyFile} must be visible ASCII characters only`);
      expect(holdsKey(stderr.text(), CANARY_KEYS.base64url)).toBe(false);
      expect(holdsKey(stderr.text(), CANARY_KEYS.hex)).toBe(false);
    });

    it("warns about a key file that others can read", async () => {
      if (process.platform === "win32") return;
      const dir = await tempDir();
      const keyFile = path.join(dir, "key");
      await writeFile(keyFile, "sandbox-key\n", { mode: 0o644 });
      await chmod(keyFile, 0o644);
      const stderr = capture();
      const controller = new AbortController();
      controller.abort();
      const argv = ["--key-file", keyFile];
      await expect(
        runSandboxCommand(argv, { stderr, stdout: capture(), signal: controller.signal }),
      ).resolves.toBe(0);
      expect(stderr.text()).toBe(
        `oncekey-sandbox: warning: ${keyFile} can be read by others (mode 644); run: chmod 600 ${keyFile}\n`,
      );
    });
  });

  describe("with --ip-rate-limit", () => {
    it("imitates OnceHub's per-IP limit at the rate given as <requests>/<seconds>", async () => {
      const { text } = await serve(["--ip-rate-limit", "2/60", "--rate-limit", "off"]);
      const agent = new Agent({ connect: { ca: readFileSync(field(text, "CA file"), "utf8") } });
      cleanup.push(() => agent.close());
      const statuses = [];
      for (let i = 0; i < 3; i++)
        statuses.push(
          (await call(agent, `${field(text, "Base URL")}/test`, { key: field(text, "API key") })).status,
        );
      expect(statuses).toEqual([200, 200, 429]);
    });
  });

  describe("with --print-env", () => {
    it("prints only export lines at once that, eval'd by a shell, reach the sandbox served with the same flags", async () => {
      const dir = await tempDir(); // with a space in its name: the lines must quote it
      const flags = [
        "--port",
        String(await freePort()),
        "--key-file",
        path.join(dir, "key"),
        "--ca-file",
        path.join(dir, "ca.pem"),
      ];
      const stdout = capture();
      const stderr = capture();
      // No signal: --print-env must return by itself, or this test times out.
      await expect(runSandboxCommand([...flags, "--print-env"], { stdout, stderr })).resolves.toBe(0);
      const lines = stdout.text();
      expect(lines.split("\n")).toEqual([
        expect.stringMatching(/^export ONCEHUB_BASE_URL=https:\/\/127\.0\.0\.1:\d+\/v2$/),
        expect.stringMatching(/^export ONCEHUB_API_KEY=[\w-]{43}$/),
        `export ONCEKEY_CA_FILE='${path.join(dir, "ca.pem")}'`,
        "",
      ]);
      expect(stderr.text()).toContain("printed the environment only");

      const script = 'eval "$1"; printf "%s\\n" "$ONCEHUB_BASE_URL" "$ONCEHUB_API_KEY" "$ONCEKEY_CA_FILE"';
      const { stdout: seen } = await run("sh", ["-c", script, "sh", lines]);
      const [baseUrl, key, caFile] = seen.split("\n");

      const { text } = await serve(flags);
      expect([baseUrl, key, caFile]).toEqual([
        field(text, "Base URL"),
        field(text, "API key"),
        field(text, "CA file"),
      ]);
      const agent = new Agent({ connect: { ca: readFileSync(caFile!, "utf8") } });
      cleanup.push(() => agent.close());
      expect((await call(agent, `${baseUrl}/test`, { key: key! })).status).toBe(200);
    });

    it("names the flags it needs when one is missing", async () => {
      const stderr = capture();
      await expect(runSandboxCommand(["--print-env", "--port", "8443"], { stderr })).resolves.toBe(2);
      expect(stderr.text()).toContain("so it needs all three; add --key-file <path>, --ca-file <path>.");
    });
  });

  describe("with --help", () => {
    it("prints the usage under the name it was given and exits 0 without starting", async () => {
      const stdout = capture();
      await expect(runSandboxCommand(["--help"], { stdout, name: "oncekey sandbox" })).resolves.toBe(0);
      expect(stdout.text()).toMatch(/^Usage: oncekey sandbox \[options\]/);
      expect(stdout.text()).toContain("--key-file <path>");
    });
  });

  describe("with a bad argument", () => {
    it.each([
      [["--nope"], "unknown flag --nope."],
      [["--nope=some-value"], "unknown flag --nope."],
      [["--RateLimit", "5"], "unknown flag (an argument of 11 characters)."],
      [["-x"], "unknown flag (an argument of 2 characters)."],
      [["--port", "http"], "--port takes a whole number from 0 to 65535, got a value of 4 characters."],
      [["-p", "70000"], "--port takes a whole number from 0 to 65535, got a value of 5 characters."],
      [["--port"], "--port needs a value: --port <n>."],
      [["--port", ""], "--port takes a whole number from 0 to 65535, got an empty value."],
      [
        ["--rate-limit", "fast"],
        '--rate-limit takes a whole number of requests per second (1 or more) or "off", got a value of 4 characters.',
      ],
      [["--rate-limit", "0"], "--rate-limit takes a whole number of requests per second (1 or more)"],
      [
        ["--retry-after", "soon"],
        '--retry-after takes whole seconds from 0 to 86400 or "auto", got a value of 4',
      ],
      [
        ["--email", "nobody"],
        "--email takes an email address (name@example.com), got a value of 6 characters.",
      ],
      [
        ["stray"],
        "takes flags only, each value right after its flag (--port 8443); got a value of 5 characters",
      ],
      [["--ip-rate-limit", "200"], "--ip-rate-limit takes <requests>/<seconds> (OnceHub's is 200/300;"],
      [["--ip-rate-limit", "0/300"], "got a value of 5 characters."],
      [["--print-env=yes"], '--print-env takes no value, got a value of 3 characters after "=".'],
      [
        ["--key-file", "--print-env"],
        '--key-file needs a value (--key-file <path>), but the argument after it starts with "-"',
      ],
      [["--ca-file", "secrets/oncehub-sandbox-ca"], "--ca-file takes a path; a value of 26 characters that"],
    ])("exits 2 with one line saying what is wrong: %j", async (argv: string[], message: string) => {
      const stderr = capture();
      await expect(runSandboxCommand(argv, { stderr, stdout: capture() })).resolves.toBe(2);
      expect(stderr.text()).toContain(message);
      expect(stderr.text()).toMatch(
        /^oncekey-sandbox: [^\n]+\nRun "oncekey-sandbox --help" for the options\.\n$/,
      );
    });

    // A key pasted as an argument, as any flag's value or in place of a flag, never reaches the terminal.
    const FLAGS = [
      "-p",
      "--port",
      "--plain-port",
      "--bookings",
      "--rate-limit",
      "--ip-rate-limit",
      "--retry-after",
      "--email",
      "--key-file",
      "--ca-file",
      "--print-env",
      "-h",
      "--help",
    ];
    describe.each(Object.entries(CANARY_KEYS))("and a canary key of the %s shape", (_, key) => {
      const shapes = [
        ...FLAGS.flatMap((flag) => [[flag, key], [`${flag}=${key}`], [key, flag]]),
        [`--${key}`],
        [`--${key}=1`],
        [`-${key}`],
        [key],
        ["--", key],
        ["--port", "8443", key],
      ];

      it.each(shapes)("refuses %j (exit 2) without repeating it", async (...argv: string[]) => {
        const stdout = capture();
        const stderr = capture();
        const stop = new AbortController();
        stop.abort(); // a command that wrongly started would stop at once rather than hang the test

        const code = await runSandboxCommand(argv, { stdout, stderr, signal: stop.signal });

        expect({ code, leaked: holdsKey(`${stdout.text()}\n${stderr.text()}`, key) }).toEqual({
          code: 2,
          leaked: false,
        });
        expect(stderr.text()).toMatch(/^oncekey-sandbox: .+\n/);
      });
    });

    it("exits 1 when the port is taken", async () => {
      const { text } = await serve([]);
      const stderr = capture();
      const port = new URL(field(text, "URL")).port;
      await expect(runSandboxCommand(["--port", port], { stderr, stdout: capture() })).resolves.toBe(1);
      expect(stderr.text()).toBe(`oncekey-sandbox: port ${port} on 127.0.0.1 is in use.\n`);
    });
  });

  describe("with bad options", () => {
    it.each([
      [{ stdot: process.stdout }, /runSandboxCommand: unknown option "stdot"/],
      [{ stdout: "out" }, /stdout must have a write\(text\) method/],
      [{ signal: "stop" }, /signal must be an AbortSignal/],
      [{ name: "" }, /name must be the command's name/],
    ])("throws a TypeError for %j", async (options, message) => {
      await expect(runSandboxCommand([], options as never)).rejects.toThrow(message);
    });
  });
});
