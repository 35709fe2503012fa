import { once } from "node:events";
import { describe, expect, it } from "@jest/globals";
import { OnceHubClient } from "@oncekey/core";
import { rejectionOf, sandboxClientOptions, useSandbox } from "@oncekey/test-support";
import express from "express";
import { oncehub } from "../src/index.js";

const sandbox = useSandbox();

describe("oncehub().close", () => {
  describe("when hooked to the server's close event", () => {
    it("closes the client when the server stops", async () => {
      const client = new OnceHubClient(sandboxClientOptions(sandbox()));
      const middleware = oncehub({ client });
      const app = express();
      app.use(middleware);
      app.get("/account", async (req, res) => res.json(await req.oncehub.test()));
      const server = app.listen(0, "127.0.0.1");
      server.on("close", () => void middleware.close());
      await once(server, "listening");
      await expect(client.test()).resolves.toMatchObject({ account: "admin@example.com" });

      server.close();
      await once(server, "close");

      expect(await rejectionOf(client.test())).toMatchObject({
        code: "NETWORK",
        message: expect.stringContaining("closed"),
      });
      await expect(middleware.close()).resolves.toBeUndefined();
    });
  });
});
