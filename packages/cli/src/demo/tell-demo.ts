import diagnostics from "node:diagnostics_channel";
import { mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eventChannelName, type OnceKeyEvent } from "@oncekey/core";
import type { Sandbox } from "@oncekey/sandbox";
import type { DemoScene } from "./demo-scene.js";
import {
  bookingsScene,
  configurationScene,
  legacyRegenerateScene,
  logsScene,
  recommendedRotationScene,
  webhookScene,
} from "./demo-scenes.js";

const KEY_EVENTS = [
  "key:loaded",
  "key:rotated",
  "key:invalidated",
  "key:rejected",
  "key:stale",
  "key:warning",
] as const;

/**
 * Tells the demo's scenes in order against `sandbox`, and whatever happens leaves nothing behind: the key
 * events are unsubscribed, a pending timer of a scene is cleared, the client closed and the temp directory
 * removed. The sandbox stays the caller's.
 *
 * @param sandbox - A running sandbox (`rateLimit: 5`, as OnceHub's).
 * @param say - Prints one line.
 * @example
 * ```ts
 * await tellDemo(sandbox, (text = "") => void process.stdout.write(`${text}\n`));
 * ```
 */
export async function tellDemo(sandbox: Sandbox, say: (text?: string) => void): Promise<void> {
  // Every key event is published on node:diagnostics_channel (the client's `onEvent` option gets them too).
  const events: OnceKeyEvent[] = [];
  const record = (event: unknown): void => void events.push(event as OnceKeyEvent);
  for (const type of KEY_EVENTS) diagnostics.subscribe(eventChannelName(type), record);
  const timers = new Set<NodeJS.Timeout>();
  const dir = mkdtempSync(join(tmpdir(), "oncekey-demo-"));
  const keyFile = join(dir, "oncehub-api-key");
  let fileKey = sandbox.key;
  const demo: DemoScene = {
    sandbox,
    dir,
    keyFile,
    get fileKey() {
      return fileKey;
    },
    events,
    client: undefined,
    say,
    step: (text) => say(`\n== ${text}`),
    writeKey(key) {
      writeFileSync(`${keyFile}.tmp`, `${key}\n`, { mode: 0o600 });
      renameSync(`${keyFile}.tmp`, keyFile);
      fileKey = key;
    },
    later(action, ms) {
      const timer = setTimeout(() => {
        timers.delete(timer);
        action();
      }, ms);
      timers.add(timer);
    },
  };
  try {
    demo.writeKey(sandbox.key);
    writeFileSync(join(dir, "ca.pem"), sandbox.ca);
    await configurationScene(demo);
    await bookingsScene(demo);
    await recommendedRotationScene(demo);
    await legacyRegenerateScene(demo);
    await webhookScene(demo);
    logsScene(demo);
    say("\nDone.");
  } finally {
    for (const timer of timers) clearTimeout(timer);
    for (const type of KEY_EVENTS) diagnostics.unsubscribe(eventChannelName(type), record);
    await demo.client?.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
