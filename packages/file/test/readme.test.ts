import { beforeEach, describe, expect, it } from "@jest/globals";
import { chmod, mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { OnceHubClient, type OnceKeyEvent } from "@oncekey/core";
import type { Sandbox } from "@oncekey/sandbox";
import { fileSource, fromFile } from "../src/index.js";
import { envSource } from "./support/env-source.js";
import { eventually } from "@oncekey/test-support";
import { KubernetesSecretVolume } from "./support/kubernetes-volume.js";
import { useKeyFiles } from "./support/use-key-files.js";
import { useSandbox } from "@oncekey/test-support";

// The README's examples, with temporary directories for /run/secrets and /etc/oncehub, and the sandbox for OnceHub.
describe("README examples", () => {
  const files = useKeyFiles();
  const oncehub = useSandbox();
  let sandbox: Sandbox;
  let dir: string;

  beforeEach(() => {
    sandbox = oncehub();
    dir = files.dir;
  });

  it("Docker secrets", async () => {
    const path = join(dir, "oncehub_api_key");
    await writeFile(path, `${sandbox.key}\n`);
    await chmod(path, 0o444);
    const warnings: string[] = [];

    const keys = fromFile({
      path,
      onEvent: (e: OnceKeyEvent) => void (e.type === "key:warning" && warnings.push(e.code)),
    });
    const client = new OnceHubClient({ keys, baseUrl: sandbox.baseUrl, ca: sandbox.ca });
    const { account } = await client.test();
    await client.close();
    await keys.close?.();

    expect(account).toBe("admin@example.com");
    expect(warnings).toEqual(["FILE_PERMISSIONS"]);
  });

  it("Kubernetes secret volumes", async () => {
    const account = sandbox.accounts.create("k8s-readme@example.com");
    const volume = new KubernetesSecretVolume(dir, 0o400);
    await volume.write({ "api-key": account.key });
    const events: OnceKeyEvent[] = [];

    const keys = fromFile({ path: join(dir, "api-key"), onEvent: (e) => events.push(e) });
    const client = new OnceHubClient({ keys, baseUrl: sandbox.baseUrl, ca: sandbox.ca });
    await client.test();
    const next = sandbox.keys.create(account.id, "next");
    await volume.write({ "api-key": next });
    await eventually(async () => {
      await expect(client.test()).resolves.toMatchObject({ account: "k8s-readme@example.com" });
      return events.some((e) => e.type === "key:rotated");
    });
    sandbox.keys.delete(account.key);
    await expect(client.test()).resolves.toMatchObject({ account: "k8s-readme@example.com" });
    await client.close();
    await keys.close?.();

    expect(events.filter((e) => e.type === "key:warning")).toEqual([]);
  });

  it("one file per tenant", async () => {
    const acme = sandbox.accounts.create("acme-readme@example.com");
    const tenants = join(dir, "tenants");
    await mkdir(tenants);
    await writeFile(join(tenants, "acme"), acme.key, { mode: 0o400 });

    const keys = fromFile({ path: join(tenants, "{tenant}"), permissions: "refuse" });
    const client = new OnceHubClient({ keys, baseUrl: sandbox.baseUrl, ca: sandbox.ca });
    await expect(client.forTenant("acme").test()).resolves.toMatchObject({
      account: "acme-readme@example.com",
    });
    await expect(client.forTenant("globex").test()).rejects.toMatchObject({ code: "KEY_NOT_FOUND" });
    await client.close();
    await keys.close?.();
  });

  it("chosen by configuration", async () => {
    const caFile = join(dir, "ca.pem");
    await writeFile(caFile, sandbox.ca);
    const env = {
      ONCEKEY_SOURCE: "file,env",
      ONCEKEY_FILE_PATH: join(dir, "oncehub_api_key"),
      ONCEHUB_API_KEY: sandbox.key,
      ONCEHUB_BASE_URL: sandbox.baseUrl,
      ONCEKEY_CA_FILE: caFile,
    };

    const client = OnceHubClient.fromEnvironment({ sources: [fileSource, envSource], env });
    await expect(client.test()).resolves.toMatchObject({ account: "admin@example.com" });
    await client.close();
  });
});
