import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import diagnostics from "node:diagnostics_channel";
import { chmod, mkdir, rm, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { eventChannelName, resolveKeyProvider, type KeyProvider, type OnceKeyEvent } from "@oncekey/core";
import { printedForms } from "@oncekey/sandbox";
import { eventually, settled } from "@oncekey/test-support";
import { fileSource, type FromFileOptions } from "../src/index.js";
import { writeKeyFile } from "./support/key-file.js";
import { useKeyFiles } from "./support/use-key-files.js";

const CANARY = "canary-Fk3Wq9Lz7Rm2Xp5Tv8Nb4Hd6";

const observed: unknown[] = [];
const channelTypes: OnceKeyEvent["type"][] = ["key:loaded", "key:rotated", "key:stale", "key:warning"];
const onChannel = (message: unknown): void => void observed.push(message);

const files = useKeyFiles();
const { events } = files;
const open = (options: FromFileOptions): KeyProvider => files.open(options);
const keyFile = (name: string, content: string, mode?: number): Promise<string> =>
  writeKeyFile(join(files.dir, name), content, mode);

beforeAll(() => channelTypes.forEach((t) => diagnostics.subscribe(eventChannelName(t), onChannel)));
afterAll(() => channelTypes.forEach((t) => diagnostics.unsubscribe(eventChannelName(t), onChannel)));

describe("canary key in a key file", () => {
  it("never appears in any error, event, inspect or JSON", async () => {
    // Served, rotated, warned about, then served stale when the file turns unreadable.
    const path = await keyFile("oncehub", `${CANARY}\n`, 0o644);
    const keys = open({ path });
    observed.push(keys, await keys.getKey());
    await keyFile("oncehub", `${CANARY}-next\n`, 0o644);
    await eventually(async () => (await keys.getKey()).reveal() === `${CANARY}-next`);
    const refusing = open({ path: await keyFile("refused", CANARY, 0o600), permissions: "refuse" });
    observed.push(await refusing.getKey());
    await chmod(join(files.dir, "refused"), 0o644);
    await writeFile(join(files.dir, "refused"), `${CANARY}-2`);
    await eventually(async () => {
      observed.push(await refusing.getKey());
      return events.some((e) => e.type === "key:stale");
    });

    // Served, then removed: the last good key is served stale during the rewrite grace.
    const removed = open({
      path: await keyFile("removed", CANARY),
      cache: { ttlMs: 1, retryAfterErrorMs: 0 },
    });
    observed.push(await removed.getKey());
    await rm(join(files.dir, "removed"));
    await eventually(async () => {
      observed.push(await removed.getKey());
      return events.some((e) => e.type === "key:stale" && e.errorMessage.includes("rewrite in progress"));
    });

    // Every way a file can be wrong.
    for (const [name, content] of [
      ["bom", `\uFEFF${CANARY}`],
      ["crlf", `${CANARY}\r\n`],
      ["lines", `${CANARY}\n${CANARY}\n`],
      ["space", `${CANARY} `],
      ["accent", `${CANARY}é`],
      ["long", CANARY.repeat(30)],
      ["huge", CANARY.repeat(300)],
    ] as const) {
      const file = await keyFile(name, content);
      observed.push(await settled(open({ path: file, watch: false }).getKey()));
    }
    observed.push(
      await settled(open({ path: await keyFile("shared", CANARY, 0o644), permissions: "refuse" }).getKey()),
    );

    // A tenant's link out of the directory, to a file holding a key.
    await mkdir(join(files.dir, "tenants"));
    await symlink(join(files.dir, "oncehub"), join(files.dir, "tenants", "evil"));
    const tenants = open({ path: join(files.dir, "tenants", "{tenant}") });
    observed.push(
      await settled(tenants.getKey({ tenant: "evil" })),
      await settled(tenants.getKey({ tenant: "../x" })),
    );

    // Configuration: the key pasted where it does not belong.
    for (const env of [
      { ONCEKEY_SOURCE: "file", ONCEKEY_FILE_PATH: path, ONCEKEY_FILE_WATCH: CANARY },
      { ONCEKEY_SOURCE: "file", ONCEKEY_FILE_PATH: path, ONCEKEY_FILE_PERMISSIONS: CANARY },
      { ONCEKEY_SOURCE: "file", ONCEHUB_API_KEY: CANARY },
    ]) {
      observed.push(await settled(() => resolveKeyProvider(env, [fileSource])));
    }

    observed.push(...events);
    expect(events.map((e) => e.type)).toEqual(
      expect.arrayContaining(["key:loaded", "key:rotated", "key:warning", "key:stale"]),
    );
    expect(observed.length).toBeGreaterThanOrEqual(25);
    for (const item of observed) expect(printedForms(item)).not.toContain(CANARY);
  });
});
