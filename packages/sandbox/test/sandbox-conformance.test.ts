import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { createServer, type Server } from "node:http";
import type { Ajv2020 } from "ajv/dist/2020.js";
import type { Agent } from "undici";
import { startSandbox, type Sandbox } from "../src/index.js";
import { responseKinds, type ResponseKind } from "./conformance-kinds.js";
import {
  BASE,
  documentValidator,
  loadDocument,
  locateDocument,
  NOT_RUN_NOTICE,
  responseSchemaPointer,
} from "./openapi-document.js";
import { projectSchemas, projectValidator, SCHEMA_BASE, type Json } from "./project-schemas.js";
import { SchemaRegistry } from "./schema-agreement.js";
import { trustingAgent, type Reply } from "./sandbox-helpers.js";

// The project's own schemas are always checked; OnceHub's full document only where it is found. Where it is not,
// one line says so (a test cannot be "skipped" without hiding that), and the rest of the suite runs.
const location = locateDocument();
if (location === undefined) process.stderr.write(`${NOT_RUN_NOTICE}\n`);

/**
 * Each project schema and the schema in OnceHub's document it must agree with, or `null` with the reason it has
 * none. Every schema file must be listed, so a new one cannot escape the comparison unnoticed.
 */
const COUNTERPARTS: Record<string, string | { none: string }> = {
  "test-response.schema.json": "#/paths/~1test/get/responses/200/content/application~1json/schema",
  "error.schema.json": "#/components/schemas/Error",
  "booking.schema.json": "#/components/schemas/Booking",
  "booking-webhook-data.schema.json": "#/components/schemas/BookingWebhookData",
  "booking-fields.schema.json": { none: "compared as part of booking and booking-webhook-data" },
  "booking-list.schema.json": "#/components/schemas/BookingList",
  "webhook.schema.json": "#/components/schemas/Webhook",
  "webhook-list.schema.json": "#/components/schemas/WebhookList",
  "deleted-webhook.schema.json": "#/components/schemas/DeletedObject",
  // The data is compared as booking-webhook-data; the document's per-event schemas each allow one `type` only.
  "webhook-event.schema.json#/$defs/envelope": "#/components/schemas/WebhookEvent",
  "redacted-webhook.schema.json": { none: "OnceHub documents the redacted form in prose, in no schema" },
};

/** Error bodies the document gives as examples, for errors the sandbox answers, and the project's schema for each. */
const DOCUMENTED_ERRORS: readonly (readonly [pointer: string, ours: string])[] = [
  [
    "#/components/responses/Unauthorized/content/application~1json/examples/Result/value",
    "error.schema.json#/$defs/authenticationError",
  ],
  [
    "#/components/responses/Forbidden/content/application~1json/examples/Result/value",
    "error.schema.json#/$defs/authenticationError",
  ],
  [
    "#/components/responses/TooManyRequests/content/application~1json/examples/Result/value",
    "error.schema.json#/$defs/rateLimitError",
  ],
  ["#/components/examples/OutOfRangeLimitExample/value", "error.schema.json#/$defs/invalidRequestError"],
  ["#/components/examples/BothBeforeAndAfterExample/value", "error.schema.json#/$defs/invalidRequestError"],
];

describe("sandbox conformance", () => {
  let sandbox: Sandbox;
  let agent: Agent;
  let receiver: Server;
  let kinds: ResponseKind[];
  const replies = new Map<ResponseKind, Reply>();

  beforeAll(async () => {
    sandbox = await startSandbox();
    agent = trustingAgent(sandbox);
    let resolveReceived: (body: string) => void = () => undefined;
    const received = new Promise<string>((resolve) => (resolveReceived = resolve));
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => {
        resolveReceived(Buffer.concat(chunks).toString("utf8"));
        res.end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    kinds = responseKinds({ sandbox, agent, receiver, received });
    // One after the other: some kinds inject a fault that the next request takes.
    for (const kind of kinds) replies.set(kind, await kind.fetch());
  });
  afterAll(async () => {
    await agent?.close();
    await sandbox?.close();
    if (receiver !== undefined) await new Promise((resolve) => receiver.close(resolve));
  });

  const failuresOf = (ajv: Ajv2020, schemaFor: (kind: ResponseKind, reply: Reply) => object | string) =>
    kinds.flatMap((kind) => {
      const reply = replies.get(kind)!;
      const schema = schemaFor(kind, reply);
      const validate = typeof schema === "string" ? ajv.getSchema(schema) : ajv.compile(schema);
      if (validate === undefined) return [`${kind.name}: no schema ${String(schema)}`];
      return validate(reply.body)
        ? []
        : [`${kind.name} (${reply.status}): ${ajv.errorsText(validate.errors)}`];
    });

  describe("to the project's own schemas", () => {
    it("answers each kind of response with the status it promises", () => {
      const statuses = kinds.map((kind) => `${kind.name}: ${replies.get(kind)?.status}`);
      expect(statuses).toEqual(kinds.map((kind) => `${kind.name}: ${kind.status}`));
    });

    it("answers only bodies the project's schemas accept", () => {
      const ajv = projectValidator();
      expect(failuresOf(ajv, (kind) => `${SCHEMA_BASE}${kind.schema}`)).toEqual([]);
    });

    it("has schemas that reject what the sandbox must never answer", () => {
      const ajv = projectValidator();
      const accepts = (schema: string, body: unknown) => ajv.getSchema(`${SCHEMA_BASE}${schema}`)!(body);
      const error = { type: "rate_limit_error", message: "Request rate limit exceeded" };
      expect(accepts("error.schema.json#/$defs/rateLimitError", error)).toBe(true);
      expect(accepts("error.schema.json#/$defs/rateLimitError", { ...error, message: "Slow down" })).toBe(
        false,
      );
      expect(accepts("error.schema.json", { ...error, extra: 1 })).toBe(false);
      expect(accepts("error.schema.json#/$defs/apiError", error)).toBe(false);
      const booking = (replies.get(kinds.find((kind) => kind.name === "booking")!)?.body ?? {}) as Json;
      expect(accepts("booking.schema.json", booking)).toBe(true);
      const { id: _id, ...withoutId } = booking;
      expect(accepts("booking.schema.json", withoutId)).toBe(false);
      expect(accepts("booking.schema.json", { ...booking, creation_time: "yesterday" })).toBe(false);
      expect(accepts("booking-webhook-data.schema.json", booking)).toBe(false); // has contact, lacks the URL
    });
  });

  if (location === undefined) return;

  describe(`to OnceHub's full OpenAPI document (${location.from})`, () => {
    let doc: Json;
    let ajv: Ajv2020;
    let registry: SchemaRegistry;

    beforeAll(() => {
      doc = loadDocument(location);
      ajv = documentValidator(doc);
      registry = new SchemaRegistry().add(BASE, doc);
      for (const schema of Object.values(projectSchemas())) registry.add(String(schema["$id"]), schema);
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

    it("answers only bodies the document accepts", () => {
      const failures = failuresOf(ajv, (kind, reply) => {
        const pointer =
          (kind.operation &&
            responseSchemaPointer(doc, kind.operation[0], kind.operation[1], reply.status)) ??
          kind.fallback;
        if (pointer === undefined) return { not: {}, description: `no ${reply.status} for ${kind.name}` };
        return { $ref: `${BASE}${pointer}`, ...(kind.closed ? { unevaluatedProperties: false } : {}) };
      });
      console.log(
        `${kinds.length - failures.length} of ${kinds.length} response kinds conform to ${location.path}`,
      );
      expect(failures).toEqual([]);
    });

    it("has a counterpart in the document for each of the project's schemas, or a reason why not", () => {
      const listed = new Set(Object.keys(COUNTERPARTS).map((ref) => ref.replace(/#.*$/, "")));
      expect(Object.keys(projectSchemas()).sort()).toEqual([...listed].sort());
    });

    it("promises nothing the document contradicts, and everything it requires", () => {
      const disagreements = Object.entries(COUNTERPARTS).flatMap(([ours, theirs]) =>
        typeof theirs === "string" ? registry.disagreements(`${SCHEMA_BASE}${ours}`, `${BASE}${theirs}`) : [],
      );
      expect(disagreements).toEqual([]);
    });

    it("finds where a schema has drifted from the document", () => {
      const drifted = `${SCHEMA_BASE}drifted.schema.json`;
      registry.add(drifted, {
        type: "object",
        properties: { id: { type: "integer" }, deleted: { const: "yes" }, extra: { type: "string" } },
        required: ["id"],
      });
      expect(registry.disagreements(drifted, `${BASE}#/components/schemas/DeletedObject`).sort()).toEqual([
        "drifted.schema.json.deleted: the project allows string, the document only boolean",
        "drifted.schema.json.id: the project allows integer, the document only string",
        'drifted.schema.json: the document requires "deleted", the project does not',
        'drifted.schema.json: the project has "extra", which the document does not define',
      ]);
    });

    it("accepts, with the project's error schemas, the error bodies the document gives as examples", () => {
      const ours = projectValidator();
      const rejected = DOCUMENTED_ERRORS.filter(
        ([pointer, schema]) =>
          !ours.getSchema(`${SCHEMA_BASE}${schema}`)!(registry.node(`${BASE}${pointer}`).schema),
      );
      expect(rejected).toEqual([]);
    });
  });
});
