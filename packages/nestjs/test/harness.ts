import type { INestApplication } from "@nestjs/common";
import type { AbstractHttpAdapter } from "@nestjs/core";
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
 * The shared contract suites' view of this package on a platform (`adapter`, a new one per app; Express by
 * default): the test app over `OnceHubModule.forRoot` with the given client options, its server faults the lines
 * Nest's logger was given at `error` with the `OnceHub` context, the client closed on `onApplicationShutdown` when
 * the app closes.
 *
 * @param platform - What the suites' titles add after the part's name, e.g. " on Nest's Fastify platform".
 * @param adapter - Makes the platform's HTTP adapter.
 */
export function nestHarness(platform = "", adapter?: () => AbstractHttpAdapter): FrameworkHarness {
  return {
    subjects: {
      tenants: `@TenantClient()${platform}`,
      errors: `OnceHubExceptionFilter${platform}`,
      webhooks: `OnceHubWebhookGuard and @OnceHubEvent()${platform}`,
    },
    async start({ client, tenantSecrets = {} }) {
      const logger = new LineLogger();
      const { app, record } = await testApp(OnceHubModule.forRoot(moduleOptions(client, tenantSecrets)), {
        logger,
        ...(adapter === undefined ? {} : { adapter: adapter() }),
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
}

/** {@link nestHarness} on Nest's default platform, Express. */
export const harness = nestHarness();
