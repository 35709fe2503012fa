import { afterEach, describe, expect, it } from "@jest/globals";
import { once } from "node:events";
import type { Socket } from "node:net";
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

  describe("when called twice", () => {
    it("resolves both times", async () => {
      vault = await startFakeKeyVault();
      await vault.close();
      await expect(vault.close()).resolves.toBeUndefined();
    });
  });
});
