import { OnceHubClient } from "@oncekey/core";
import { appCaller, type AppCaller, type FrameworkHarness, type ServerFault } from "@oncekey/test-support";
import type { FastifyInstance } from "fastify";
import { testApp } from "./test-app.js";

/** A running app: its URL, a connection pool to it, and `close()` for both. */
export interface RunningApp extends AppCaller {
  readonly url: string;
  readonly app: FastifyInstance;
  /** Closes the pool and the app (which closes the OnceHub client through `onClose`). */
  close(): Promise<void>;
}

/** Starts `app` on a free loopback port. */
export async function listen(app: FastifyInstance): Promise<RunningApp> {
  const url = await app.listen({ port: 0, host: "127.0.0.1" });
  const caller = appCaller(url);
  return {
    url,
    app,
    call: caller.call,
    async close() {
      await caller.close();
      await app.close();
    },
  };
}

/** A line of the test app's logger, as pino writes it. */
export interface LogLine {
  readonly level: number;
  readonly msg: string;
  readonly oncekey?: { readonly code: string; readonly status: number };
}

/** The lines of `lines` at pino's `error` level (50), parsed. */
export function errorLines(lines: readonly string[]): LogLine[] {
  return lines.map((line) => JSON.parse(line) as LogLine).filter((line) => line.level === 50);
}

/**
 * The shared contract suites' view of this package: the test app over a client of the given options, its server
 * faults the lines its logger wrote at `error`, the client closed through `onClose` when the app closes.
 */
export const harness: FrameworkHarness = {
  subjects: { tenants: "oncehubPlugin", errors: "oncehubPlugin's error handler", webhooks: "oncehubWebhook" },
  async start({ client: options, tenantSecrets = {} }) {
    const client = new OnceHubClient(options);
    const { app, record } = await testApp(client, { tenantSecrets });
    const running = await listen(app);
    return {
      url: running.url,
      call: running.call,
      calls: record.calls,
      events: record.events,
      logLines: record.logLines,
      serverFaults: (): ServerFault[] =>
        errorLines(record.logLines).map((line) => ({ code: line.oncekey?.code, message: line.msg })),
      async close() {
        await running.close();
        await client.close();
      },
    };
  },
};
