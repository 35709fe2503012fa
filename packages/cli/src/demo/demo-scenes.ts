import { join } from "node:path";
import { OnceHubClient } from "@oncekey/core";
import { dotenvSource, envSource } from "@oncekey/env";
import { fileSource } from "@oncekey/file";
import type { DemoScene } from "./demo-scene.js";
import { receiveWebhook } from "./receive-webhook.js";

/** The key as logs show it: the fingerprint and source of the last key loaded. */
function describeKey(demo: DemoScene): string {
  const loaded = demo.events.filter((e) => e.type === "key:loaded").at(-1);
  return loaded === undefined ? "(no key loaded yet)" : `${loaded.fingerprint} from ${loaded.source}`;
}

function clientOf(demo: DemoScene): OnceHubClient {
  if (demo.client === undefined) throw new Error("The demo's configuration scene has not run.");
  return demo.client;
}

/**
 * The key source chosen by configuration (`ONCEKEY_SOURCE=file,env`), and the first call.
 *
 * @param demo - The demo so far; its `client` is set here.
 * @example
 * ```ts
 * await configurationScene(demo);
 * ```
 */
export async function configurationScene(demo: DemoScene): Promise<void> {
  demo.step("Configuration picks the key source: ONCEKEY_SOURCE=file,env");
  const env = {
    ONCEKEY_SOURCE: "file,env",
    ONCEKEY_FILE_PATH: demo.keyFile,
    ONCEHUB_BASE_URL: demo.sandbox.baseUrl,
    ONCEKEY_CA_FILE: join(demo.dir, "ca.pem"),
  };
  for (const [name, value] of Object.entries(env)) demo.say(`   ${name}=${value}`);
  demo.client = OnceHubClient.fromEnvironment({
    sources: [envSource, dotenvSource, fileSource],
    env,
    // For the legacy "Regenerate" below: after a 401, wait up to 5 s for the source to hold a new key.
    rotation: { waitForNewKeyMs: 5_000 },
  });
  const tested = await demo.client.test();
  demo.say(`   GET /test -> ${tested.message}`);
  demo.say(`   The key shows up as ${describeKey(demo)}: fingerprint and source, never the key.`);
}

/**
 * Bookings page after page, paced to OnceHub's rate limit.
 *
 * @param demo - The demo so far.
 * @example
 * ```ts
 * await bookingsScene(demo);
 * ```
 */
export async function bookingsScene(demo: DemoScene): Promise<void> {
  demo.step("Bookings, page after page (cursor pagination, paced to OnceHub's 5 requests/second)");
  let count = 0;
  for await (const booking of clientOf(demo).bookings.list({ limit: 10 })) {
    if (count < 3) demo.say(`   ${booking.id}  ${booking.status}  ${booking.starting_time}`);
    count++;
  }
  demo.say(`   ... ${count} bookings in all`);
}

/**
 * The rotation OnceHub recommends: a new key, the file updated, the old key deleted once the client moved over.
 *
 * @param demo - The demo so far.
 * @example
 * ```ts
 * await recommendedRotationScene(demo);
 * ```
 */
export async function recommendedRotationScene(demo: DemoScene): Promise<void> {
  demo.step("Rotation the way OnceHub recommends: create a new key, update the file, delete the old key");
  const client = clientOf(demo);
  const oldKey = demo.sandbox.key;
  demo.writeKey(demo.sandbox.keys.create(demo.sandbox.account.id, "rotated"));
  // Requests go on meanwhile; once the watch reports the change, the next one reads the new key.
  await waitFor(async () => {
    await client.test();
    return demo.events.some((e) => e.type === "key:rotated");
  });
  demo.sandbox.keys.delete(oldKey);
  await client.test();
  demo.say(`   The file watch picked up the new key: ${describeKey(demo)}`);
}

/**
 * The legacy "Regenerate": the key in use dies at once and the file is updated a moment later; the client waits
 * for it and replays the call.
 *
 * @param demo - The demo so far, after {@link recommendedRotationScene}.
 * @example
 * ```ts
 * await legacyRegenerateScene(demo);
 * ```
 */
export async function legacyRegenerateScene(demo: DemoScene): Promise<void> {
  demo.step('Legacy "Regenerate": the old key dies at once, the file is updated a moment later');
  const regenerated = demo.sandbox.keys.regenerate(demo.fileKey);
  demo.later(() => demo.writeKey(regenerated), 300);
  const after = await clientOf(demo).test();
  demo.say(`   A 401 made the client wait for the new key and replay the call: ${after.message}`);
  demo.say(`   Now using ${describeKey(demo)}`);
}

/**
 * A webhook subscription created through the API, one signed delivery received on a local listener and verified,
 * and the subscription deleted.
 *
 * @param demo - The demo so far.
 * @example
 * ```ts
 * await webhookScene(demo);
 * ```
 */
export async function webhookScene(demo: DemoScene): Promise<void> {
  demo.step("A signed webhook delivery, verified");
  const client = clientOf(demo);
  const webhook = await client.webhooks.create({
    name: "demo",
    url: "https://example.com/oncehub",
    events: ["booking.scheduled"],
  });
  const secret = webhook.secret ?? "";
  const event = await receiveWebhook(secret, (url) =>
    demo.sandbox.sendWebhook(url, "booking.scheduled", secret),
  );
  demo.say(`   ${event.type} ${event.id}: signature valid`);
  await client.webhooks.delete(webhook.id);
}

/**
 * What the logs saw: every key event with its fingerprint and source, and the sandbox's requests per key.
 *
 * @param demo - The demo at its end.
 * @example
 * ```ts
 * logsScene(demo);
 * ```
 */
export function logsScene(demo: DemoScene): void {
  demo.step("What the logs saw");
  for (const e of demo.events) {
    const fingerprint = "fingerprint" in e ? e.fingerprint : "";
    demo.say(`   ${e.type.padEnd(16)} ${fingerprint} ${"source" in e ? e.source : ""}`);
  }
  const perKey = new Map<string | null, number>();
  const requests = demo.sandbox.requests.all();
  for (const r of requests) perKey.set(r.fingerprint, (perKey.get(r.fingerprint) ?? 0) + 1);
  demo.say(`   The sandbox saw ${requests.length} requests from ${perKey.size} keys (by fingerprint).`);
}

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error("The demo waited too long for the key file change.");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
