import diagnostics from "node:diagnostics_channel";
import { readFileSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "@jest/globals";
import { eventChannelName, OnceHubClient, type OnceKeyEvent } from "@oncekey/core";
import { fromFile } from "@oncekey/file";
import { useTempDir } from "@oncekey/test-support";
import { block, REPO } from "./support/markdown.js";
import { useProject } from "./support/project.js";
import { expectShown } from "./support/shown.js";

const DOC = join(REPO, "docs", "events.md");
const EVENTS_SOURCE = join(REPO, "packages", "core", "src", "events", "once-key-event.ts");

/** Each event type of core's `OnceKeyEvent` and its own fields, read from the source that declares them. */
function declaredEvents(): Map<string, string[]> {
  const source = readFileSync(EVENTS_SOURCE, "utf8");
  const events = new Map<string, string[]>();
  for (const [, body = ""] of source.matchAll(
    /export interface \w+Event extends (?:Call)?EventBase \{([\s\S]*?)\n\}/g,
  )) {
    const type = /readonly type: "([^"]+)"/.exec(body)?.[1];
    const fields = [...body.matchAll(/readonly (\w+)\??:/g)]
      .map((m) => m[1] ?? "")
      .filter((f) => f !== "type");
    if (type !== undefined) events.set(type, fields);
  }
  return events;
}

/** The rows of the page's event tables: type -> the row's text. */
function documentedEvents(): Map<string, string> {
  const rows = readFileSync(DOC, "utf8")
    .split("\n")
    .filter((line) => /^\| `[a-z]+(:[a-z-]+)?` +\|/.test(line));
  return new Map(
    rows
      .map((row) => [/^\| `([^`]+)`/.exec(row)?.[1] ?? "", row] as const)
      .filter(([type]) => type !== "type"),
  );
}

describe("docs/events.md", () => {
  const project = useProject();
  const dir = useTempDir("oncekey-events-");

  it("lists every event type with each of its fields", () => {
    const declared = declaredEvents();
    const documented = documentedEvents();
    expect(declared.size).toBeGreaterThanOrEqual(9);
    expect([...documented.keys()].sort()).toEqual([...declared.keys()].sort());
    for (const [type, fields] of declared) {
      const row = documented.get(type) ?? "";
      expect({ type, missing: fields.filter((field) => !row.includes(`\`${field}\``)) }).toEqual({
        type,
        missing: [],
      });
    }
  });

  it("runs the listening example: provider and client events, the channel, no key", async () => {
    const result = await project().node(block(DOC, "listen"), "ts");
    expect(result.stderr).toBe("");
    expectShown(result.stdout, block(DOC, "listen", "output"));
  });

  it("hands a source's key:warning to its channel, its own onEvent and the client's", async () => {
    const key = "Xq3dV8rT5nB2mK9wL4pZ7cF1hJ6sG0yA-oncekey_e";
    const keyFile = join(dir.path, "key");
    await writeFile(keyFile, `${key}\n`, { mode: 0o644 });
    const onChannel: unknown[] = [];
    const onSource: OnceKeyEvent[] = [];
    const onClient: OnceKeyEvent[] = [];
    const listener = (message: unknown) => void onChannel.push(message);
    diagnostics.subscribe(eventChannelName("key:warning"), listener);
    try {
      const keys = dir.track(fromFile({ path: keyFile, onEvent: (event) => onSource.push(event) }));
      const client = dir.track(new OnceHubClient({ keys, onEvent: (event) => onClient.push(event) }));
      await client.keys.getKey();
    } finally {
      diagnostics.unsubscribe(eventChannelName("key:warning"), listener);
    }
    const warning = { type: "key:warning", code: "FILE_PERMISSIONS", source: `file:${keyFile}` };
    expect(onChannel).toEqual([expect.objectContaining(warning)]);
    expect(onSource).toContainEqual(expect.objectContaining(warning));
    expect(onClient).toContainEqual(expect.objectContaining(warning));
    expect(JSON.stringify([onChannel, onSource, onClient])).not.toContain(key);
  });
});
