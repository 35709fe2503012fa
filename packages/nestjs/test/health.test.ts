import "reflect-metadata";
import { describe, expect, it } from "@jest/globals";
import { ApiKey, KeyNotFoundError, staticKey, type KeyProvider } from "@oncekey/core";
import { CANARY_KEYS, holdsKey } from "@oncekey/sandbox";
import { rejectionOf, sandboxTransportOptions, useSandbox } from "@oncekey/test-support";
import { Controller, Get, Inject, Module } from "@nestjs/common";
import { NestFactory } from "@nestjs/core";
import { HealthCheck, HealthCheckService, TerminusModule } from "@nestjs/terminus";
import { OnceHubHealth, OnceHubModule, type OnceHubModuleKeysOptions } from "../src/index.js";
import { OnceHubHealthIndicator } from "../src/terminus.js";
import { listen } from "./harness.js";

const sandbox = useSandbox();
const transport = () =>
  sandboxTransportOptions(sandbox()) as unknown as Omit<OnceHubModuleKeysOptions, "keys">;

/** Serves `key` for tenant `acme` and for no tenant; any other tenant has none. */
function acmeKeys(key: string): KeyProvider {
  return {
    name: "acme-only",
    async getKey(request) {
      if (request?.tenant !== undefined && request.tenant !== "acme") {
        throw new KeyNotFoundError(`No key for tenant "${request.tenant}".`, { source: "acme-only" });
      }
      return ApiKey.from(key, { source: "acme-only" });
    },
  };
}

/** Runs `use` with the `OnceHubHealth` of a module over `keys`. */
async function withHealth<T>(keys: KeyProvider, use: (health: OnceHubHealth) => Promise<T>): Promise<T> {
  @Module({ imports: [OnceHubModule.forRoot({ keys, ...transport(), retry: false })] })
  class AppModule {}
  const app = await NestFactory.createApplicationContext(AppModule, { logger: false, abortOnError: false });
  try {
    return await use(app.get(OnceHubHealth));
  } finally {
    await app.close();
  }
}

describe("OnceHubHealth", () => {
  it("reports up with the key's account", async () => {
    const result = await withHealth(acmeKeys(sandbox().key), (health) => health.check());

    expect(result).toEqual({ status: "up", account: "admin@example.com" });
  });

  it("checks a tenant's key when asked", async () => {
    const [acme, ghost] = await withHealth(acmeKeys(sandbox().key), (health) =>
      Promise.all([health.check({ tenant: "acme" }), health.check({ tenant: "ghost" })]),
    );

    expect(acme).toEqual({ status: "up", account: "admin@example.com" });
    expect(ghost).toEqual({
      status: "down",
      code: "KEY_NOT_FOUND",
      message: 'No OnceHub API key is configured for the tenant "ghost".',
    });
  });

  it("reports a refused key as down, without the key or the library's message", async () => {
    const result = await withHealth(staticKey(CANARY_KEYS.base64url), (health) => health.check());

    expect(result).toEqual({
      status: "down",
      code: "AUTHENTICATION",
      message: expect.stringContaining("server's log"),
    });
    expect(holdsKey(JSON.stringify(result), CANARY_KEYS.base64url)).toBe(false);
  });

  it("reports down when OnceHub does not answer in time", async () => {
    sandbox().faults.inject({ kind: "delay", ms: 3_000, path: "/v2/test" });

    const result = await withHealth(staticKey(sandbox().key), (health) => health.check({ timeoutMs: 200 }));

    expect(result).toEqual({
      status: "down",
      code: "TIMEOUT",
      message: "OnceHub did not answer within 200 ms.",
    });
  });

  it("refuses a bad option with a ConfigError", async () => {
    const error = await withHealth(staticKey(sandbox().key), (health) =>
      rejectionOf(health.check({ timeout: 5 } as never)),
    );

    expect(error).toMatchObject({ code: "CONFIG", variable: "timeout" });
  });
});

describe("OnceHubHealthIndicator", () => {
  /** An app with terminus' health endpoint over a module whose key is `key`. */
  async function healthEndpoint(key: string) {
    @Controller("health")
    class HealthController {
      constructor(
        @Inject(HealthCheckService) private readonly health: HealthCheckService,
        @Inject(OnceHubHealthIndicator) private readonly oncehub: OnceHubHealthIndicator,
      ) {}

      @Get()
      @HealthCheck()
      check() {
        return this.health.check([() => this.oncehub.isHealthy("oncehub")]);
      }
    }
    @Module({
      imports: [
        OnceHubModule.forRoot({ keys: staticKey(key), ...transport(), retry: false }),
        TerminusModule,
      ],
      controllers: [HealthController],
      providers: [OnceHubHealthIndicator],
    })
    class AppModule {}
    return listen(await NestFactory.create(AppModule, { logger: false, abortOnError: false }));
  }

  it("reports up in terminus' health check", async () => {
    const app = await healthEndpoint(sandbox().key);
    try {
      const answer = await app.call("/health");

      expect(answer.status).toBe(200);
      expect(answer.json).toMatchObject({
        status: "ok",
        info: { oncehub: { status: "up", account: "admin@example.com" } },
      });
    } finally {
      await app.close();
    }
  });

  it("reports down, with 503, when OnceHub refuses the key", async () => {
    const app = await healthEndpoint(CANARY_KEYS.hex);
    try {
      const answer = await app.call("/health");

      expect(answer.status).toBe(503);
      expect(answer.json).toMatchObject({
        status: "error",
        error: { oncehub: { status: "down", code: "AUTHENTICATION" } },
      });
      expect(holdsKey(answer.text, CANARY_KEYS.hex)).toBe(false);
    } finally {
      await app.close();
    }
  });
});
