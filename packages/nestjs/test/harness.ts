import type { INestApplication } from "@nestjs/common";
import { appCaller, type AppCaller, type FrameworkHarness, type ServerFault } from "@oncekey/test-support";
import { LineLogger, moduleOptions, OnceHubModule, testApp } from "./test-app.js";

/** A running app: its URL, a connection pool to it, and `close()` for both. */
export interface RunningApp extends AppCaller {
  readonly url: string;
  readonly app: INestApplication;
  /** Closes the pool and the app (which closes the OnceHub client on `onApplicationShutdown`). */
  close(): Promise<void>;
}

/** Starts `app` on a free loopback port. */
export async function listen(app: INestApplication): Promise<RunningApp> {
  await app.listen(0, "127.0.0.1");
  const url = (await app.getUrl()).replace("[::1]", "127.0.0.1");
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

/** A line the module's filter or guard logged at `error` under its `OnceHub` context, as `LineLogger` keeps it. */
const FAULT_LINE = /^error ([A-Z_]+): ([\s\S]*) OnceHub$/;

/**
 * The shared contract suites' view of this package: the test app over `OnceHubModule.forRoot` with the given client
 * options, its server faults the lines Nest's logger was given at `error` with the `OnceHub` context, the client
 * closed on `onApplicationShutdown` when the app closes.
 */
export const harness: FrameworkHarness = {
  subjects: {
    tenants: "@TenantClient()",
    errors: "OnceHubExceptionFilter",
    webhooks: "OnceHubWebhookGuard and @OnceHubEvent()",
  },
  async start({ client, tenantSecrets = {} }) {
    const logger = new LineLogger();
    const { app, record } = await testApp(OnceHubModule.forRoot(moduleOptions(client, tenantSecrets)), {
      logger,
    });
    const running = await listen(app);
    return {
      url: running.url,
      call: running.call,
      calls: record.calls,
      events: record.events,
      logLines: logger.lines,
      serverFaults: (): ServerFault[] =>
        logger.lines
          .filter((line) => line.startsWith("error "))
          .map((line) => {
            const [, code, message] = FAULT_LINE.exec(line) ?? [];
            return code === undefined ? { code, message: line } : { code, message: message ?? "" };
          }),
      close: running.close,
    };
  },
};
