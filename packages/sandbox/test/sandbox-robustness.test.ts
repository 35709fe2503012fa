import { afterEach, describe, expect, it } from "@jest/globals";
import { once } from "node:events";
import type { Socket } from "node:net";
import { connect as tlsConnect } from "node:tls";
import { request, type Agent } from "undici";
import { startSandbox, type Sandbox } from "../src/index.js";
import { call, idleConnection, settlesWithin, trustingAgent, useSandbox } from "./sandbox-helpers.js";

// A hang would last minutes (Node's TLS handshake timeout); ten seconds is ample on a loaded machine.
const DEADLINE_MS = 10_000;

describe("sandbox.close", () => {
  let sandbox: Sandbox | undefined;
  let agent: Agent | undefined;
  const sockets: Socket[] = [];

  afterEach(async () => {
    for (const socket of sockets.splice(0)) socket.destroy();
    await agent?.close();
    await sandbox?.close();
    agent = undefined;
    sandbox = undefined;
  });

  async function start(): Promise<{ sandbox: Sandbox; agent: Agent }> {
    sandbox = await startSandbox({ rateLimit: false });
    agent = trustingAgent(sandbox);
    return { sandbox, agent };
  }

  describe("when a client connected but never started TLS", () => {
    it("resolves at once and drops that connection", async () => {
      const { sandbox } = await start();
      const idle = await idleConnection(sandbox.url);
      sockets.push(idle);
      const dropped = once(idle, "close");

      expect(await settlesWithin(sandbox.close(), DEADLINE_MS)).toBe(true);
      await dropped;
    });

    it("also drops an idle connection to the plain-HTTP listener", async () => {
      const { sandbox } = await start();
      const idle = await idleConnection(sandbox.plainUrl);
      sockets.push(idle);

      expect(await settlesWithin(sandbox.close(), DEADLINE_MS)).toBe(true);
    });
  });

  describe("when requests are in flight", () => {
    it.each([
      ["a delayed response", { kind: "delay", ms: 60_000 }],
      ["a slow body", { kind: "slow-body", ms: 60_000 }],
    ] as const)("resolves at once with %s pending, failing that request", async (_, fault) => {
      const { sandbox, agent } = await start();
      sandbox.faults.inject(fault);
      const pending = request(`${sandbox.baseUrl}/test`, {
        headers: { "API-Key": sandbox.key },
        dispatcher: agent,
      })
        .then((res) => res.body.text())
        .then(
          () => "answered",
          () => "failed",
        );
      await waitFor(() => sandbox.requests.size > 0 || fault.kind === "delay");

      expect(await settlesWithin(sandbox.close(), DEADLINE_MS)).toBe(true);
      expect(await pending).toBe("failed");
    });
  });

  describe("when a client sent half its headers", () => {
    it("resolves at once", async () => {
      const { sandbox } = await start();
      const socket = tlsConnect({
        port: Number(new URL(sandbox.url).port),
        host: "127.0.0.1",
        ca: sandbox.ca,
      });
      socket.on("error", () => undefined);
      sockets.push(socket);
      await once(socket, "secureConnect");
      socket.write("GET /v2/test HTTP/1.1\r\nHost: 127.0.0.1\r\nAPI-Key: ");

      expect(await settlesWithin(sandbox.close(), DEADLINE_MS)).toBe(true);
    });
  });

  describe("right after a reset fault dropped a connection", () => {
    // Resetting a socket in the same tick the request arrived left Node's HTTP server a connection entry without
    // its socket, and close() then threw "Cannot read properties of null (reading '_httpMessage')".
    it("resolves", async () => {
      const { sandbox, agent } = await start();
      sandbox.faults.inject({ kind: "reset" });
      await expect(call(agent, `${sandbox.baseUrl}/test`, { key: sandbox.key })).rejects.toMatchObject({
        code: expect.stringMatching(/^(ECONNRESET|UND_ERR_SOCKET)$/),
      });

      await expect(sandbox.close()).resolves.toBeUndefined();
    });
  });

  describe("when called twice", () => {
    it("resolves both times", async () => {
      const { sandbox } = await start();
      await sandbox.close();
      await expect(sandbox.close()).resolves.toBeUndefined();
    });
  });
});

/** Polls `condition` until it holds, for at most a few seconds. */
async function waitFor(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(condition()).toBe(true);
}

describe("the sandbox's request handling", () => {
  let sandbox: Sandbox;
  let agent: Agent;
  useSandbox((started) => ({ sandbox, agent } = started));

  describe("when a body is larger than the sandbox reads", () => {
    it("answers 413 invalid_request_error and keeps serving", async () => {
      const huge = { url: "https://example.com/h", name: "x".repeat(1 << 20), events: ["booking.scheduled"] };

      const reply = await call(agent, `${sandbox.baseUrl}/webhooks`, {
        method: "POST",
        key: sandbox.key,
        body: huge,
      });

      expect(reply.status).toBe(413);
      expect(reply.body).toEqual({
        type: "invalid_request_error",
        message: "The request body is larger than 65536 bytes.",
      });
      expect((await call(agent, `${sandbox.baseUrl}/test`, { key: sandbox.key })).status).toBe(200);
    });
  });

  describe("when the method is one OnceHub does not serve there", () => {
    it.each(["PUT", "PATCH", "OPTIONS", "PROPFIND"])(
      "answers %s with the unrecognized-URL 404",
      async (method) => {
        const reply = await call(agent, `${sandbox.baseUrl}/test`, { method, key: sandbox.key });

        expect(reply.status).toBe(404);
        expect(reply.body).toEqual({
          type: "invalid_request_error",
          message: `Unrecognized request URL (${method}: /v2/test).`,
        });
        expect(reply.headers["request-id"]).toMatch(/^req_/);
      },
    );
  });

  describe("when the request is not HTTP at all", () => {
    it("is refused by the parser, and the sandbox keeps serving", async () => {
      const socket = tlsConnect({
        port: Number(new URL(sandbox.url).port),
        host: "127.0.0.1",
        ca: sandbox.ca,
      });
      const chunks: Buffer[] = [];
      socket.on("data", (chunk: Buffer) => chunks.push(chunk));
      await once(socket, "secureConnect");
      socket.end("BREW /v2/test HTCPCP/1.0\r\n\r\n");
      await once(socket, "close");

      expect(Buffer.concat(chunks).toString("latin1")).toMatch(/^HTTP\/1\.1 400 /);
      expect((await call(agent, `${sandbox.baseUrl}/test`, { key: sandbox.key })).status).toBe(200);
    });
  });
});
