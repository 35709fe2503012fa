import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { existsSync, readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import type { Agent } from "undici";
import { startSandbox, type Sandbox } from "../src/index.js";
import { call, trustingAgent, type Reply } from "./sandbox-helpers.js";

// CI clones the repository and lays `shared/` beside the clone, so the document is found relative to the repo.
const REPO_ROOT = path.resolve(__dirname, "../../..");
const OPENAPI_PATH =
  process.env["ONCEHUB_OPENAPI"] ?? path.resolve(REPO_ROOT, "../shared/oncehub-openapi.json");
const BASE = "https://oncehub.test/openapi.json";

type Json = Record<string, unknown>;

function loadDocument(): Json {
  if (!existsSync(OPENAPI_PATH)) {
    throw new Error(
      `OnceHub's OpenAPI document was not found at ${OPENAPI_PATH}. The conformance test needs it: ` +
        "lay shared/oncehub-openapi.json beside the repository, or set ONCEHUB_OPENAPI to its path.",
    );
  }
  return JSON.parse(readFileSync(OPENAPI_PATH, "utf8")) as Json;
}

const escape = (segment: string): string => segment.replace(/~/g, "~0").replace(/\//g, "~1");

/** The JSON pointer (into the document) of the response schema of an operation, following `$ref`d responses. */
function responseSchemaPointer(
  doc: Json,
  apiPath: string,
  method: string,
  status: number,
): string | undefined {
  const paths = doc["paths"] as Record<string, Record<string, { responses: Record<string, Json> }>>;
  const response = paths[apiPath]?.[method]?.responses[String(status)];
  if (response === undefined) return undefined;
  const ref = response["$ref"];
  const base = typeof ref === "string" ? ref : `#/paths/${escape(apiPath)}/${method}/responses/${status}`;
  return `${base}/content/application~1json/schema`;
}

interface ResponseKind {
  /** What the test calls it in its report. */
  readonly name: string;
  /** The status the sandbox must answer with. */
  readonly status: number;
  /** The operation in the document whose response it is, when the document lists that status for it. */
  readonly operation?: readonly [path: string, method: string];
  /** The schema to use when the operation does not list the status (a shared component). */
  readonly fallback?: string;
  /** Also reject top-level properties the schema does not name. */
  readonly closed: boolean;
  readonly fetch: () => Promise<Reply>;
}

describe("sandbox conformance to OnceHub's OpenAPI document", () => {
  let doc: Json;
  let ajv: Ajv2020;
  let sandbox: Sandbox;
  let agent: Agent;
  let receiver: Server;
  let received: Promise<string>;

  beforeAll(async () => {
    doc = loadDocument();
    ajv = new Ajv2020({ strict: false, allErrors: true });
    const dateTime = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/;
    ajv.addFormat("date-time", dateTime);
    ajv.addFormat("date", /^\d{4}-\d\d-\d\d$/);
    ajv.addFormat("email", /^[^\s@]+@[^\s@]+$/);
    ajv.addFormat("uri", /^[a-z][a-z0-9+.-]*:/i);
    // The whole document under one id, so every "#/components/..." reference inside it resolves.
    ajv.addSchema({ ...doc, $id: BASE });
    sandbox = await startSandbox();
    agent = trustingAgent(sandbox);
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => {
        resolveReceived(Buffer.concat(chunks).toString("utf8"));
        res.end();
      });
    });
    let resolveReceived: (body: string) => void = () => undefined;
    received = new Promise((resolve) => (resolveReceived = resolve));
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  });
  afterAll(async () => {
    await agent?.close();
    await sandbox?.close();
    if (receiver !== undefined) await new Promise((resolve) => receiver.close(resolve));
  });

  it("reads the document it validates against, and its checks can fail", () => {
    expect(doc["openapi"]).toMatch(/^3\.1/);
    const closedError = ajv.compile({
      $ref: `${BASE}#/components/schemas/Error`,
      unevaluatedProperties: false,
    });
    expect(closedError({ type: "api_error", message: "m" })).toBe(true);
    expect(closedError({ type: "api_error", message: "m", extra: 1 })).toBe(false);
    expect(closedError({ type: "server_error", message: "m" })).toBe(false);
    const booking = ajv.compile({ $ref: `${BASE}#/components/schemas/Booking` });
    expect(booking({ id: "BKNG-1", creation_time: "yesterday" })).toBe(false);
  });

  it("produces only response bodies that validate", async () => {
    const api = (p: string) => `${sandbox.baseUrl}${p}`;
    // Each account has its own rate-limit bucket; every kind below uses a fresh key unless it tests the limit.
    const fresh = () => sandbox.accounts.create().key;
    const key = fresh();
    const webhook = async (name: string, k = key) =>
      (
        await call(agent, api("/webhooks"), {
          method: "POST",
          key: k,
          body: { url: "https://example.com/h", name, events: ["booking.scheduled"] },
        })
      ).body as { id: string };

    const kinds: ResponseKind[] = [
      {
        name: "test ok",
        status: 200,
        operation: ["/test", "get"],
        closed: true,
        fetch: () => call(agent, api("/test"), { key: fresh() }),
      },
      {
        name: "401 missing key",
        status: 401,
        operation: ["/test", "get"],
        closed: true,
        fetch: () => call(agent, api("/test")),
      },
      {
        name: "401 invalid key",
        status: 401,
        operation: ["/test", "get"],
        closed: true,
        fetch: () => call(agent, api("/test"), { key: "nope" }),
      },
      {
        name: "403 plan without API access",
        status: 403,
        operation: ["/test", "get"],
        closed: true,
        fetch: () =>
          call(agent, api("/test"), { key: sandbox.accounts.create(undefined, { apiAccess: false }).key }),
      },
      {
        name: "429 rate limit",
        status: 429,
        operation: ["/test", "get"],
        closed: true,
        fetch: async () => {
          const k = fresh();
          const replies = await Promise.all(
            Array.from({ length: 20 }, () => call(agent, api("/test"), { key: k })),
          );
          return replies.find((reply) => reply.status === 429) ?? replies[0]!;
        },
      },
      {
        name: "booking list",
        status: 200,
        operation: ["/bookings", "get"],
        closed: true,
        fetch: () => call(agent, api("/bookings?limit=100"), { key: fresh() }),
      },
      {
        name: "booking list page (before)",
        status: 200,
        operation: ["/bookings", "get"],
        closed: true,
        fetch: async () => {
          const k = fresh();
          const page = (await call(agent, api("/bookings?limit=20"), { key: k })).body as {
            data: { id: string }[];
          };
          return call(agent, api(`/bookings?before=${page.data[15]?.id}&limit=5`), { key: k });
        },
      },
      {
        name: "booking",
        status: 200,
        operation: ["/bookings/{id}", "get"],
        closed: true,
        fetch: async () => {
          const k = fresh();
          const page = (await call(agent, api("/bookings?limit=1"), { key: k })).body as {
            data: { id: string }[];
          };
          return call(agent, api(`/bookings/${page.data[0]?.id}`), { key: k });
        },
      },
      {
        name: "404 booking",
        status: 404,
        operation: ["/bookings/{id}", "get"],
        closed: true,
        fetch: () => call(agent, api("/bookings/123"), { key: fresh() }),
      },
      {
        name: "400 limit",
        status: 400,
        operation: ["/bookings", "get"],
        closed: true,
        fetch: () => call(agent, api("/bookings?limit=500"), { key: fresh() }),
      },
      {
        name: "400 before and after",
        status: 400,
        operation: ["/bookings", "get"],
        closed: true,
        fetch: () => call(agent, api("/bookings?before=a&after=b"), { key: fresh() }),
      },
      {
        name: "400 unknown cursor",
        status: 400,
        operation: ["/bookings", "get"],
        closed: true,
        fetch: () => call(agent, api("/bookings?after=BKNG-NONE"), { key: fresh() }),
      },
      {
        name: "400 webhooks limit",
        status: 400,
        operation: ["/webhooks", "get"],
        closed: true,
        fetch: () => call(agent, api("/webhooks?limit=0"), { key: fresh() }),
      },
      {
        name: "webhook create",
        status: 200,
        operation: ["/webhooks", "post"],
        closed: true,
        fetch: () =>
          call(agent, api("/webhooks"), {
            method: "POST",
            key: fresh(),
            body: { url: "https://example.com/h", name: "Conformance", events: ["booking.canceled"] },
          }),
      },
      {
        name: "409 webhook name",
        status: 409,
        operation: ["/webhooks", "post"],
        closed: true,
        fetch: async () => {
          const k = fresh();
          await webhook("Taken", k);
          return call(agent, api("/webhooks"), {
            method: "POST",
            key: k,
            body: { url: "https://example.com/h", name: "Taken", events: ["booking.scheduled"] },
          });
        },
      },
      {
        name: "400 webhook bad url",
        status: 400,
        fallback: "#/components/responses/BadRequest/content/application~1json/schema",
        closed: true,
        fetch: () =>
          call(agent, api("/webhooks"), {
            method: "POST",
            key: fresh(),
            body: { url: "http://example.com", name: "x", events: ["booking.scheduled"] },
          }),
      },
      {
        name: "400 webhook body not JSON",
        status: 400,
        fallback: "#/components/responses/BadRequest/content/application~1json/schema",
        closed: true,
        fetch: () => call(agent, api("/webhooks"), { method: "POST", key: fresh(), body: "{" }),
      },
      {
        name: "webhook list",
        status: 200,
        operation: ["/webhooks", "get"],
        closed: true,
        fetch: async () => {
          const k = fresh();
          await webhook("One", k);
          await webhook("Two", k);
          return call(agent, api("/webhooks"), { key: k });
        },
      },
      {
        name: "webhook get",
        status: 200,
        operation: ["/webhooks/{id}", "get"],
        closed: true,
        fetch: async () => {
          const k = fresh();
          return call(agent, api(`/webhooks/${(await webhook("Get", k)).id}`), { key: k });
        },
      },
      {
        // OnceHub documents deleted resources as `{ id, object, deleted: true }`, which the Webhook schema does not
        // name `deleted` in: checked against the schema, but not closed.
        name: "webhook get after delete (redacted)",
        status: 200,
        operation: ["/webhooks/{id}", "get"],
        closed: false,
        fetch: async () => {
          const k = fresh();
          const { id } = await webhook("Redacted", k);
          await call(agent, api(`/webhooks/${id}`), { method: "DELETE", key: k });
          return call(agent, api(`/webhooks/${id}`), { key: k });
        },
      },
      {
        name: "404 webhook",
        status: 404,
        operation: ["/webhooks/{id}", "get"],
        closed: true,
        fetch: () => call(agent, api("/webhooks/123"), { key: fresh() }),
      },
      {
        name: "webhook delete",
        status: 200,
        operation: ["/webhooks/{id}", "delete"],
        closed: true,
        fetch: async () => {
          const k = fresh();
          return call(agent, api(`/webhooks/${(await webhook("Delete", k)).id}`), {
            method: "DELETE",
            key: k,
          });
        },
      },
      {
        name: "404 webhook delete",
        status: 404,
        operation: ["/webhooks/{id}", "delete"],
        closed: true,
        fetch: () => call(agent, api("/webhooks/123"), { method: "DELETE", key: fresh() }),
      },
      {
        name: "404 unrecognized URL",
        status: 404,
        fallback: "#/components/responses/NotFound/content/application~1json/schema",
        closed: true,
        fetch: () => call(agent, api("/nothing"), { key: fresh() }),
      },
      {
        name: "5xx (fault)",
        status: 503,
        fallback: "#/components/schemas/Error",
        closed: true,
        fetch: () => {
          sandbox.faults.inject({ kind: "status", status: 503 });
          return call(agent, api("/test"), { key: fresh() });
        },
      },
      {
        name: "429 (fault)",
        status: 429,
        operation: ["/bookings", "get"],
        closed: true,
        fetch: () => {
          sandbox.faults.inject({ kind: "status", status: 429, retryAfter: 1 });
          return call(agent, api("/bookings"), { key: fresh() });
        },
      },
      {
        name: "400 plain HTTP",
        status: 400,
        fallback: "#/components/schemas/Error",
        closed: true,
        fetch: () => call(agent, `${sandbox.plainUrl}/v2/test`, { key: fresh() }),
      },
      {
        name: "webhook event delivery",
        status: 200,
        fallback: `#/webhooks/booking.scheduled/post/requestBody/content/application~1json/schema`,
        closed: true,
        fetch: async () => {
          const { port } = receiver.address() as AddressInfo;
          await sandbox.sendWebhook(`http://127.0.0.1:${port}/hook`, "booking.scheduled", "secret");
          const text = await received;
          return { status: 200, headers: {}, body: JSON.parse(text) as unknown, text };
        },
      },
    ];

    const failures: string[] = [];
    const statuses: Record<string, number> = {};
    for (const kind of kinds) {
      const reply = await kind.fetch();
      statuses[kind.name] = reply.status;
      if (reply.status !== kind.status)
        failures.push(`${kind.name}: status ${reply.status}, expected ${kind.status}`);
      const pointer =
        (kind.operation && responseSchemaPointer(doc, kind.operation[0], kind.operation[1], reply.status)) ??
        kind.fallback;
      if (pointer === undefined) {
        failures.push(
          `${kind.name}: the document lists no ${reply.status} response for ${kind.operation?.join(" ")}`,
        );
        continue;
      }
      const validate = ajv.compile({
        $ref: `${BASE}${pointer}`,
        ...(kind.closed ? { unevaluatedProperties: false } : {}),
      });
      if (!validate(reply.body)) {
        failures.push(`${kind.name} (${reply.status}): ${ajv.errorsText(validate.errors)}`);
      }
    }

    console.log(
      `${kinds.length - failures.length} of ${kinds.length} response kinds conform to ${OPENAPI_PATH}:\n` +
        kinds.map((kind) => `  ${statuses[kind.name]} ${kind.name}`).join("\n"),
    );
    expect(failures).toEqual([]);
  });
});
