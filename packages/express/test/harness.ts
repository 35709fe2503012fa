import { once } from "node:events";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { OnceHubClient } from "@oncekey/core";
import { appCaller, type AppCaller, type FrameworkHarness, type ServerFault } from "@oncekey/test-support";
import type { Express } from "express";
import { testApp } from "./test-app.js";

/** A running app: its URL, its server, a connection pool to it, and `close()` for both. */
export interface RunningApp extends AppCaller {
  readonly url: string;
  readonly server: Server;
}

/** Starts `app` on a free loopback port. */
export async function listen(app: Express): Promise<RunningApp> {
  const server = app.listen(0, "127.0.0.1");
  await once(server, "listening");
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const caller = appCaller(url);
  return {
    url,
    server,
    call: caller.call,
    async close() {
      await caller.close();
      if (server.listening) await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * The shared contract suites' view of this package: the test app over a client of the given options, its server
 * faults as `onServerFault` receives them, the client closed by the middleware's `close` hook when the server stops.
 */
export const harness: FrameworkHarness = {
  subjects: { tenants: "oncehub()", errors: "oncehubErrors()", webhooks: "oncehubWebhook()" },
  async start({ client: options, tenantSecrets = {} }) {
    const client = new OnceHubClient(options);
    const faults: ServerFault[] = [];
    const logLines: string[] = [];
    const { app, middlewares, deliveries } = testApp(client, {
      errors: {
        onServerFault: (error) => {
          faults.push({ code: error.code, message: error.message });
          logLines.push(`${error.code}: ${error.message}`);
        },
      },
      tenantSecrets,
    });
    const running = await listen(app);
    running.server.on("close", () => void middlewares[0]?.close());
    return {
      url: running.url,
      call: running.call,
      calls: deliveries.calls,
      events: deliveries.events,
      logLines,
      serverFaults: () => faults,
      async close() {
        await running.close();
        await client.close();
      },
    };
  },
};
