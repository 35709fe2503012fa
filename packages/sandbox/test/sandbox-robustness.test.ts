import { afterEach, describe, expect, it } from "@jest/globals";
import { once } from "node:events";
import type { Socket } from "node:net";
import { request, type Agent } from "undici";
import { startSandbox, type Sandbox } from "../src/index.js";
import { idleConnection, settlesWithin, trustingAgent } from "./sandbox-helpers.js";

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
