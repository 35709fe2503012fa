import diagnostics from "node:diagnostics_channel";
import { mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  ConfigError,
  eventChannelName,
  OnceHubClient,
  verifyWebhookSignature,
  type OnceKeyEvent,
  type WebhookEvent,
} from "@oncekey/core";
import { checkOptionNames } from "@oncekey/core/source";
import { dotenvSource, envSource } from "@oncekey/env";
import { fileSource } from "@oncekey/file";
import { startSandbox } from "@oncekey/sandbox";
import type { CommandOutput } from "../cli/command-io.js";

/**
 * Options of {@link runDemo}.
 *
 * @example
 * ```ts
 * const options: RunDemoOptions = { stdout: process.stdout };
 * ```
 */
export interface RunDemoOptions {
  /**
   * Where the tour is told.
   * @defaultValue `process.stdout`
   */
  readonly stdout?: CommandOutput;
}

const KEY_EVENTS = [
  "key:loaded",
  "key:rotated",
  "key:invalidated",
  "key:rejected",
  "key:stale",
  "key:warning",
] as const;

/**
 * A tour of oncekey against a local sandbox, told on stdout: the key source chosen by configuration
 * (`ONCEKEY_SOURCE=file,env`), bookings page after page, a key file rotated the way OnceHub recommends and the
 * legacy way, a signed webhook verified, and what the logs saw of the key (fingerprints, never the key). Needs
 * no network; leaves nothing behind.
 *
 * @param options - {@link RunDemoOptions}.
 * @throws `ConfigError` for an unknown option or a `stdout` that cannot be written.
 * @example
 * ```ts
 * import { runDemo } from "@oncekey/cli";
 *
 * await runDemo();
 * ```
 */
export async function runDemo(options: RunDemoOptions = {}): Promise<void> {
  checkOptionNames(options, ["stdout"], "runDemo");
  const stdout = options.stdout ?? process.stdout;
  if (typeof stdout?.write !== "function") {
    throw new ConfigError("runDemo: stdout must be a stream with a write method.", { variable: "stdout" });
  }
  const say = (text = ""): void => void stdout.write(`${text}\n`);
  const step = (text: string): void => say(`\n== ${text}`);

  // Every key event is published on node:diagnostics_channel (the client's `onEvent` option gets them too).
  const events: OnceKeyEvent[] = [];
  const record = (event: unknown): void => void events.push(event as OnceKeyEvent);
  for (const type of KEY_EVENTS) diagnostics.subscribe(eventChannelName(type), record);
  const describeKey = (): string => {
    const loaded = events.filter((e) => e.type === "key:loaded").at(-1);
    return loaded === undefined ? "(no key loaded yet)" : `${loaded.fingerprint} from ${loaded.source}`;
  };

  const dir = mkdtempSync(join(tmpdir(), "oncekey-demo-"));
  const sandbox = await startSandbox({ rateLimit: 5 });
  let client: OnceHubClient | undefined;
  try {
    // Write a key file the way tools do it (temp file, then rename), with owner-only permissions.
    const keyFile = join(dir, "oncehub-api-key");
    const writeKey = (key: string): void => {
      writeFileSync(`${keyFile}.tmp`, `${key}\n`, { mode: 0o600 });
      renameSync(`${keyFile}.tmp`, keyFile);
    };
    writeKey(sandbox.key);
    writeFileSync(join(dir, "ca.pem"), sandbox.ca);

    step("Configuration picks the key source: ONCEKEY_SOURCE=file,env");
    const env = {
      ONCEKEY_SOURCE: "file,env",
      ONCEKEY_FILE_PATH: keyFile,
      ONCEHUB_BASE_URL: sandbox.baseUrl,
      ONCEKEY_CA_FILE: join(dir, "ca.pem"),
    };
    for (const [name, value] of Object.entries(env)) say(`   ${name}=${value}`);
    client = OnceHubClient.fromEnvironment({
      sources: [envSource, dotenvSource, fileSource],
      env,
      // For the legacy "Regenerate" below: after a 401, wait up to 5 s for the source to hold a new key.
      rotation: { waitForNewKeyMs: 5_000 },
    });

    const tested = await client.test();
    say(`   GET /test -> ${tested.message}`);
    say(`   The key shows up as ${describeKey()}: fingerprint and source, never the key.`);

    step("Bookings, page after page (cursor pagination, paced to OnceHub's 5 requests/second)");
    let count = 0;
    for await (const booking of client.bookings.list({ limit: 10 })) {
      if (count < 3) say(`   ${booking.id}  ${booking.status}  ${booking.starting_time}`);
      count++;
    }
    say(`   ... ${count} bookings in all`);

    step("Rotation the way OnceHub recommends: create a new key, update the file, delete the old key");
    const oldKey = sandbox.key;
    const newKey = sandbox.keys.create(sandbox.account.id, "rotated");
    writeKey(newKey);
    // Requests go on meanwhile; once the watch reports the change, the next one reads the new key.
    const running = client;
    await waitFor(async () => {
      await running.test();
      return events.some((e) => e.type === "key:rotated");
    });
    sandbox.keys.delete(oldKey);
    await client.test();
    say(`   The file watch picked up the new key: ${describeKey()}`);

    step('Legacy "Regenerate": the old key dies at once, the file is updated a moment later');
    const regenerated = sandbox.keys.regenerate(newKey);
    setTimeout(() => writeKey(regenerated), 300);
    const after = await client.test();
    say(`   A 401 made the client wait for the new key and replay the call: ${after.message}`);
    say(`   Now using ${describeKey()}`);

    step("A signed webhook delivery, verified");
    const webhook = await client.webhooks.create({
      name: "demo",
      url: "https://example.com/oncehub",
      events: ["booking.scheduled"],
    });
    const secret = webhook.secret ?? "";
    const received = new Promise<WebhookEvent>((resolve, reject) => {
      const server = createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on("data", (chunk: Buffer) => chunks.push(chunk));
        req.on("end", () => {
          try {
            resolve(
              verifyWebhookSignature(Buffer.concat(chunks), String(req.headers["oncehub-signature"]), secret),
            );
          } catch (error) {
            reject(error as Error);
          } finally {
            res.end();
            server.close();
          }
        });
      }).listen(0, "127.0.0.1", () => {
        const { port } = server.address() as AddressInfo;
        sandbox.sendWebhook(`http://127.0.0.1:${port}/hook`, "booking.scheduled", secret).catch(reject);
      });
    });
    const event = await received;
    say(`   ${event.type} ${event.id}: signature valid`);
    await client.webhooks.delete(webhook.id);

    step("What the logs saw");
    for (const e of events) {
      const fingerprint = "fingerprint" in e ? e.fingerprint : "";
      say(`   ${e.type.padEnd(16)} ${fingerprint} ${"source" in e ? e.source : ""}`);
    }
    const perKey = new Map<string | null, number>();
    for (const r of sandbox.requests.all()) perKey.set(r.fingerprint, (perKey.get(r.fingerprint) ?? 0) + 1);
    say(
      `   The sandbox saw ${sandbox.requests.all().length} requests from ${perKey.size} keys (by fingerprint).`,
    );
    say("\nDone.");
  } finally {
    for (const type of KEY_EVENTS) diagnostics.unsubscribe(eventChannelName(type), record);
    await client?.close();
    await sandbox.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error("The demo waited too long for the key file change.");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
