import { afterAll, afterEach, beforeAll, describe, expect, it } from "@jest/globals";
import { once } from "node:events";
import type { Socket } from "node:net";
import { connect as tlsConnect } from "node:tls";
import { startFakeKeyVault, type FakeKeyVault } from "../src/index.js";
import { idleConnection, settlesWithin } from "./sandbox-helpers.js";

// A hang would last minutes (Node's TLS handshake timeout); ten seconds is ample on a loaded machine.
const DEADLINE_MS = 10_000;

describe("fakeKeyVault.close", () => {
  let vault: FakeKeyVault | undefined;
  const sockets: Socket[] = [];

  afterEach(async () => {
    for (const socket of sockets.splice(0)) socket.destroy();
    await vault?.close();
    vault = undefined;
  });

  describe("when a client connected but never started TLS", () => {
    it("resolves at once and drops that connection", async () => {
      vault = await startFakeKeyVault();
      const idle = await idleConnection(vault.url);
      sockets.push(idle);
      const dropped = once(idle, "close");

      expect(await settlesWithin(vault.close(), DEADLINE_MS)).toBe(true);
      await dropped;
    });
  });

  describe("right after a reset fault dropped a connection", () => {
    // Resetting a socket in the same tick the request arrived left Node's HTTP server a connection entry without
    // its socket, and close() then threw "Cannot read properties of null (reading '_httpMessage')".
    it.each(["GET", "PUT"])("resolves (a %s)", async (method) => {
      vault = await startFakeKeyVault();
      vault.faults.inject({ kind: "reset" });
      const body = method === "PUT" ? '{"value":"v"}' : "";
      const reply = await rawRequest(
        vault,
        `${method} /secrets/x?api-version=7.6 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer t\r\n` +
          `Content-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
      );

      expect(reply).toBe("");
      expect(vault.calls.last()).toMatchObject({ fault: "reset", status: null });
      await expect(vault.close()).resolves.toBeUndefined();
    });
  });

  describe("when called twice", () => {
    it("resolves both times", async () => {
      vault = await startFakeKeyVault();
      await vault.close();
      await expect(vault.close()).resolves.toBeUndefined();
    });
  });
});

describe("the fake vault's request handling", () => {
  let vault: FakeKeyVault;

  beforeAll(async () => {
    vault = await startFakeKeyVault();
  });
  afterAll(async () => {
    await vault.close();
  });

  describe("when the request target is no URL at all", () => {
    it("answers 400 BadParameter, logs it, and keeps serving", async () => {
      const reply = await rawRequest(vault, "GET //[ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");

      expect(reply).toMatch(/^HTTP\/1\.1 400 /);
      expect(reply).toContain('"code":"BadParameter"');
      expect(vault.calls.last()).toMatchObject({ path: "//[", operation: "unknown", status: 400 });
      expect(
        await rawRequest(vault, "GET /secrets/x/ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"),
      ).toMatch(/^HTTP\/1\.1 401 /);
    });
  });
});

/** Sends `text` over TLS as it is (no client would send a malformed target) and returns the whole answer. */
async function rawRequest(vault: FakeKeyVault, text: string): Promise<string> {
  const socket = tlsConnect({ port: Number(new URL(vault.url).port), host: "127.0.0.1", ca: vault.ca });
  const chunks: Buffer[] = [];
  socket.on("data", (chunk: Buffer) => chunks.push(chunk));
  await once(socket, "secureConnect");
  socket.write(text);
  await once(socket, "close");
  return Buffer.concat(chunks).toString("utf8");
}
