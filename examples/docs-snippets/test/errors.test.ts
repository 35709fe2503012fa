import { mkdir } from "node:fs/promises";
import { createServer, type AddressInfo, type Server } from "node:net";
import { join } from "node:path";
import { describe, expect, it } from "@jest/globals";
import { exitCodeFor } from "@oncekey/cli";
import * as core from "@oncekey/core";
import {
  ApiKey,
  loadConfig,
  OnceHubClient,
  OnceKeyError,
  resolveKeyProvider,
  signWebhookPayload,
  staticKey,
  verifyWebhookSignature,
  type OnceHubClientOptions,
} from "@oncekey/core";
import { dotenvSource, envSource, fromEnv } from "@oncekey/env";
import { fileSource, fromFile } from "@oncekey/file";
import type { Sandbox } from "@oncekey/sandbox";
import { rejectionOf, thrownBy, useSandbox, useTempDir } from "@oncekey/test-support";
import { block, REPO } from "./support/markdown.js";
import { useProject } from "./support/project.js";
import { expectShown, SHOWN_PORT } from "./support/shown.js";

const DOC = join(REPO, "docs", "errors.md");
const KEY = "Xq3dV8rT5nB2mK9wL4pZ7cF1hJ6sG0yA-oncekey_e"; // 43 characters, like OnceHub's and the sandbox's

/** The rows of the table under "## Every code": code -> [class, transient, exit]. */
function codeTable(): Map<string, { className: string; transient: string; exit: string }> {
  const { readFileSync } = require("node:fs") as typeof import("node:fs");
  const section = readFileSync(DOC, "utf8").split("## Every code")[1]?.split("\n## ")[0] ?? "";
  const rows = section.split("\n").filter((line) => /^\| `[A-Z_]+`/.test(line));
  return new Map(
    rows.map((row) => {
      const [code = "", className = "", transient = "", exit = ""] = row
        .split("|")
        .slice(1)
        .map((cell) => cell.trim().replace(/`/g, ""));
      return [code, { className, transient, exit }];
    }),
  );
}

/** The error classes `@oncekey/core` exports, by their code. */
function errorClasses(): Map<string, typeof OnceKeyError> {
  const classes = Object.values(core).filter(
    (value): value is typeof OnceKeyError =>
      typeof value === "function" && (value === OnceKeyError || value.prototype instanceof OnceKeyError),
  );
  return new Map(classes.map((type) => [type.code, type]));
}

async function failure(promise: Promise<unknown> | (() => unknown)): Promise<OnceKeyError> {
  const error = typeof promise === "function" ? thrownBy(promise) : await rejectionOf(promise);
  if (!OnceKeyError.is(error)) throw new Error(`Expected an oncekey error, got ${String(error)}`);
  return error;
}

// Each message of the page is produced here, by the code path it documents, against the sandbox: the page shows
// the library's own words, and a changed message fails this test until the page follows.
describe("docs/errors.md", () => {
  const sandbox = useSandbox({ rateLimit: false, key: KEY });
  const dir = useTempDir("oncekey-errors-");
  const project = useProject();

  /** `message` as the page shows it: the sandbox's port as 8443, the temporary directory as /run/secrets. */
  const shownAs = (message: string): string =>
    message
      .replaceAll(`127.0.0.1:${new URL(sandbox().url).port}`, `127.0.0.1:${SHOWN_PORT}`)
      .replaceAll(dir.path, "/run/secrets");
  const expectMessages = (id: string, messages: readonly string[]) =>
    expectShown(messages.map(shownAs).join("\n"), block(DOC, id, "output"));
  const client = (options: Partial<OnceHubClientOptions> = {}) =>
    dir.track(
      new OnceHubClient({
        keys: fromEnv({ env: { ONCEHUB_API_KEY: sandbox().key } }),
        baseUrl: sandbox().baseUrl,
        ca: sandbox().ca,
        retry: { baseDelayMs: 1, maxDelayMs: 5 },
        ...options,
      }),
    );
  const afterFault = async (
    fault: Parameters<Sandbox["faults"]["inject"]>[0],
    call: () => Promise<unknown>,
  ) => {
    sandbox().faults.inject(fault);
    try {
      return await failure(call());
    } finally {
      sandbox().faults.clear();
    }
  };

  it("lists every code core throws, with its class, transient default and oncekey exit code", () => {
    const table = codeTable();
    const classes = errorClasses();
    // The base classes' own codes are never thrown.
    const thrown = [...classes.keys()].filter((code) => code !== "ONCEKEY" && code !== "ONCEHUB_API").sort();
    expect([...table.keys()].sort()).toEqual(thrown);
    for (const [code, row] of table) {
      const type = classes.get(code);
      expect({ code, className: row.className }).toEqual({ code, className: type?.brand });
      expect({ code, transient: row.transient }).toEqual({ code, transient: type?.transient ? "yes" : "no" });
      expect({ code, exit: row.exit }).toEqual({
        code,
        exit: code === "WEBHOOK_SIGNATURE" ? "-" : String(exitCodeFor(code)),
      });
    }
  });

  it("runs the handling example", async () => {
    await project().write("ca.pem", sandbox().ca);
    const result = await project().node(block(DOC, "handling"), "ts", {
      env: {
        ONCEHUB_API_KEY: sandbox().key,
        ONCEHUB_BASE_URL: sandbox().baseUrl,
        ONCEKEY_CA_FILE: join(project().dir, "ca.pem"),
      },
    });
    expect(result).toMatchObject({ code: 0, stdout: "undefined\n", stderr: "" });
  });

  it("KEY_NOT_FOUND", async () => {
    const keys = resolveKeyProvider(
      { ONCEKEY_SOURCE: "file,env", ONCEKEY_FILE_PATH: "/run/secrets/oncehub-api-key" },
      [envSource, fileSource],
    );
    const error = await failure(keys.getKey());
    expect(error.code).toBe("KEY_NOT_FOUND");
    expectMessages("KEY_NOT_FOUND", [error.message]);
  });

  it("KEY_FORMAT", async () => {
    const error = await failure(fromEnv({ env: { ONCEHUB_API_KEY: `${KEY}\r\n` } }).getKey());
    expect(error.code).toBe("KEY_FORMAT");
    expect(() => ApiKey.from(`${KEY} `)).toThrow(expect.objectContaining({ code: "KEY_FORMAT" }));
    expectMessages("KEY_FORMAT", [error.message]);
  });

  it("KEY_SOURCE", async () => {
    await mkdir(join(dir.path, "oncehub-api-key"));
    const error = await failure(dir.track(fromFile({ path: join(dir.path, "oncehub-api-key") })).getKey());
    expect(error.code).toBe("KEY_SOURCE");
    expectMessages("KEY_SOURCE", [error.message]);
  });

  it("CONFIG", async () => {
    const source = await failure(() =>
      loadConfig({ ONCEKEY_SOURCE: "vault" }, { sources: [envSource, dotenvSource, fileSource] }),
    );
    const option = await failure(
      () => new OnceHubClient({ keys: staticKey(KEY), retry: { maxAttempt: 3 } as never }),
    );
    expect([source.code, option.code]).toEqual(["CONFIG", "CONFIG"]);
    expectMessages("CONFIG", [source.message, option.message]);
  });

  it("INVALID_TENANT", async () => {
    const error = await failure(() => client().forTenant("../etc"));
    expect(error.code).toBe("INVALID_TENANT");
    expectMessages("INVALID_TENANT", [error.message]);
  });

  it("INSECURE_TRANSPORT", async () => {
    const http = await failure(
      () => new OnceHubClient({ keys: staticKey(KEY), baseUrl: "http://api.oncehub.com/v2" }),
    );
    const redirect = await afterFault({ kind: "redirect" }, () => client().test());
    expect([http.code, redirect.code]).toEqual(["INSECURE_TRANSPORT", "INSECURE_TRANSPORT"]);
    expectMessages("INSECURE_TRANSPORT", [http.message, redirect.message]);
  });

  it("NETWORK", async () => {
    const reset = await afterFault({ kind: "reset", times: 10 }, () => client().test());
    const closed = client();
    await closed.close();
    const afterClose = await failure(closed.test());
    // Nothing listens on the sandbox's port once it is closed: a sandbox of this test alone.
    const { startSandbox } = await import("@oncekey/sandbox");
    const gone = await startSandbox({ key: KEY });
    const port = new URL(gone.url).port;
    await gone.close();
    const refused = await failure(client({ baseUrl: gone.baseUrl, ca: gone.ca, retry: false }).test());
    const messages = [
      refused.message.replaceAll(port, new URL(sandbox().url).port),
      reset.message,
      afterClose.message,
    ];
    expect([refused.code, reset.code, afterClose.code]).toEqual(["NETWORK", "NETWORK", "NETWORK"]);
    expectMessages("NETWORK", messages);
  });

  it("TIMEOUT, each phase", async () => {
    // A server that accepts TCP and never speaks TLS: the connect phase never ends.
    const silent: Server = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const silentPort = (silent.address() as AddressInfo).port;
    let connect: OnceKeyError;
    try {
      connect = await failure(
        client({
          baseUrl: `https://127.0.0.1:${silentPort}/v2`,
          retry: false,
          timeouts: { connectMs: 200 },
        }).test(),
      );
    } finally {
      silent.close();
    }
    const headers = await afterFault({ kind: "delay", ms: 5_000 }, () =>
      client({ retry: false, timeouts: { headersMs: 500 } }).test(),
    );
    const body = await afterFault({ kind: "slow-body", ms: 30_000 }, () =>
      client({ retry: false, timeouts: { bodyMs: 500 } }).test(),
    );
    const total = await afterFault({ kind: "delay", ms: 5_000 }, () =>
      client({ retry: false, timeouts: { totalMs: 500 } }).test(),
    );
    const errors = { connect, headers, body, total } as Record<string, OnceKeyError & { phase?: string }>;
    expect(Object.values(errors).map((e) => [e.code, e.phase])).toEqual([
      ["TIMEOUT", "connect"],
      ["TIMEOUT", "headers"],
      ["TIMEOUT", "body"],
      ["TIMEOUT", "total"],
    ]);
    expectMessages(
      "TIMEOUT",
      Object.entries(errors).map(([phase, error]) =>
        `${phase}: ${error.message}`.replaceAll(
          `127.0.0.1:${silentPort}`,
          `127.0.0.1:${new URL(sandbox().url).port}`,
        ),
      ),
    );
  });

  it("AUTHENTICATION, 401 and 403", async () => {
    const deleted = sandbox().keys.create(sandbox().account.id, "deleted");
    sandbox().keys.delete(deleted);
    const noApi = sandbox().accounts.create("free@example.com", { apiAccess: false });
    const rejected = await failure(client({ keys: fromEnv({ env: { ONCEHUB_API_KEY: deleted } }) }).test());
    const plan = await failure(client({ keys: fromEnv({ env: { ONCEHUB_API_KEY: noApi.key } }) }).test());
    expect([rejected, plan].map((e) => [e.code, (e as core.OnceHubApiError).status])).toEqual([
      ["AUTHENTICATION", 401],
      ["AUTHENTICATION", 403],
    ]);
    expectMessages("AUTHENTICATION", [rejected.message, plan.message]);
  });

  it("INVALID_REQUEST", async () => {
    const error = await failure(client().bookings.get("BKNG-0000000000"));
    expect(error.code).toBe("INVALID_REQUEST");
    expectMessages("INVALID_REQUEST", [error.message]);
  });

  it("RATE_LIMIT, after the retries", async () => {
    const error = await afterFault({ kind: "status", status: 429, times: 10 }, () => client().test());
    expect(error.code).toBe("RATE_LIMIT");
    expectMessages("RATE_LIMIT", [error.message]);
  });

  it("API_ERROR, after the retries", async () => {
    const error = await afterFault({ kind: "status", status: 503, times: 10 }, () => client().test());
    expect(error.code).toBe("API_ERROR");
    expectMessages("API_ERROR", [error.message]);
  });

  it("WEBHOOK_SIGNATURE, each reason", () => {
    const secret = "whsec_documentation";
    const body = JSON.stringify({
      id: "EVNT-1",
      object: "event",
      type: "booking.scheduled",
      creation_time: new Date().toISOString(),
      data: {},
    });
    const now = Math.floor(Date.now() / 1000);
    const reasons: [string, () => unknown][] = [
      ["malformed_header", () => verifyWebhookSignature(body, "garbage", secret)],
      ["bad_signature", () => verifyWebhookSignature(body, signWebhookPayload(body, secret), "whsec_other")],
      [
        "too_old",
        () =>
          verifyWebhookSignature(body, signWebhookPayload(body, secret, { timestamp: now - 3600 }), secret),
      ],
      [
        "too_new",
        () =>
          verifyWebhookSignature(body, signWebhookPayload(body, secret, { timestamp: now + 3600 }), secret),
      ],
      [
        "malformed_body",
        () => verifyWebhookSignature("not json", signWebhookPayload("not json", secret), secret),
      ],
      ["missing_secret", () => verifyWebhookSignature(body, signWebhookPayload(body, secret), "")],
    ];
    const messages = reasons.map(([reason, verify]) => {
      const error = thrownBy(verify) as core.WebhookSignatureError;
      expect([error.code, error.reason]).toEqual(["WEBHOOK_SIGNATURE", reason]);
      return `${reason}: ${error.message}`;
    });
    expectMessages("WEBHOOK_SIGNATURE", messages);
  });
});
