import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { createServer, type Server } from "node:http";
import type { Ajv2020 } from "ajv/dist/2020.js";
import type { Agent } from "undici";
import { startSandbox, type Sandbox } from "../src/index.js";
import { responseKinds } from "./conformance-kinds.js";
import {
  BASE,
  documentValidator,
  loadDocument,
  OPENAPI_PATH,
  responseSchemaPointer,
  type Json,
} from "./openapi-document.js";
import { trustingAgent } from "./sandbox-helpers.js";

describe("sandbox conformance to OnceHub's OpenAPI document", () => {
  let doc: Json;
  let ajv: Ajv2020;
  let sandbox: Sandbox;
  let agent: Agent;
  let receiver: Server;
  let received: Promise<string>;

  beforeAll(async () => {
    doc = loadDocument();
    ajv = documentValidator(doc);
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
    const kinds = responseKinds({ sandbox, agent, receiver, received });

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
