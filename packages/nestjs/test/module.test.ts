import "reflect-metadata";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "@jest/globals";
import { OnceHubClient, staticKey, type KeyProvider } from "@oncekey/core";
import { envSource } from "@oncekey/env";
import { CANARY_KEYS, holdsKey, printedForms } from "@oncekey/sandbox";
import { rejectionOf, sandboxTransportOptions, useSandbox, useTempDir } from "@oncekey/test-support";
import {
  Controller,
  Get,
  Inject,
  Injectable,
  Module,
  Post,
  UseGuards,
  type DynamicModule,
} from "@nestjs/common";
import { NestFactory } from "@nestjs/core";
import {
  OnceHubEvent,
  OnceHubModule,
  OnceHubWebhookGuard,
  TenantClient,
  tenantFromHeader,
  type OnceHubModuleKeysOptions,
} from "../src/index.js";
import { listen } from "./harness.js";

const sandbox = useSandbox();
const dir = useTempDir();
/** The sandbox's base URL, CA, no pacing, quick retries. */
const transport = () =>
  sandboxTransportOptions(sandbox()) as unknown as Omit<OnceHubModuleKeysOptions, "keys">;

@Injectable()
class Agenda {
  // Injected by its class: the compiler emits the parameter's type, as an app's tsc or swc does.
  constructor(readonly oncehub: OnceHubClient) {}
}

/** Creates an app context of a module that imports `imports` and provides `Agenda`, runs `use`, closes it. */
async function withAgenda<T>(imports: DynamicModule[], use: (agenda: Agenda) => Promise<T>): Promise<T> {
  @Module({ imports, providers: [Agenda] })
  class AppModule {}
  const app = await NestFactory.createApplicationContext(AppModule, { logger: false, abortOnError: false });
  try {
    return await use(app.get(Agenda));
  } finally {
    await app.close();
  }
}

/** A provider that serves `key` and counts its `close()` calls. */
function countedKeys(key: string): KeyProvider & { closed: number } {
  const inner = staticKey(key);
  return {
    name: "counted",
    closed: 0,
    getKey: (request) => inner.getKey(request),
    async close() {
      this.closed += 1;
    },
  };
}

describe("OnceHubModule", () => {
  describe("forRoot with sources", () => {
    it("builds the client from the configuration and injects it by its class", async () => {
      await writeFile(join(dir.path, "ca.pem"), sandbox().ca);
      const oncehub = OnceHubModule.forRoot({
        sources: [envSource],
        env: {
          ONCEKEY_SOURCE: "env",
          ONCEHUB_API_KEY: sandbox().key,
          ONCEHUB_BASE_URL: sandbox().baseUrl,
          ONCEKEY_CA_FILE: join(dir.path, "ca.pem"),
        },
        tenant: tenantFromHeader("x-tenant"),
        pacing: false,
      });

      const { account, tenant } = await withAgenda([oncehub], async (agenda) => ({
        account: (await agenda.oncehub.test()).account,
        tenant: agenda.oncehub.tenant,
      }));

      expect(account).toBe("admin@example.com");
      // The request's tenant function never becomes the client's fixed tenant.
      expect(tenant).toBeUndefined();
    });

    it("stops the app at start-up when the configuration is bad", async () => {
      const oncehub = OnceHubModule.forRoot({ sources: [envSource], env: { ONCEKEY_SOURCE: "vault" } });

      const error = await rejectionOf(withAgenda([oncehub], async () => undefined));

      expect(error).toMatchObject({ code: "CONFIG", variable: "ONCEKEY_SOURCE" });
    });
  });

  describe("forRoot with keys", () => {
    it("closes the client and the provider when the app shuts down", async () => {
      const keys = countedKeys(sandbox().key);
      let client: OnceHubClient | undefined;

      await withAgenda([OnceHubModule.forRoot({ keys, ...transport() })], async (agenda) => {
        client = agenda.oncehub;
        await agenda.oncehub.test();
      });

      expect(keys.closed).toBe(1);
      expect(await rejectionOf((client as OnceHubClient).test())).toMatchObject({
        code: "NETWORK",
        message: expect.stringContaining("closed"),
      });
    });
  });

  describe("forRootAsync", () => {
    it("takes its options from a factory with injected providers", async () => {
      const SETTINGS = Symbol("settings");
      @Module({ providers: [{ provide: SETTINGS, useValue: { key: sandbox().key } }], exports: [SETTINGS] })
      class SettingsModule {}
      const oncehub = OnceHubModule.forRootAsync({
        imports: [SettingsModule],
        inject: [SETTINGS],
        useFactory: async (settings: { key: string }) => ({
          keys: staticKey(settings.key),
          ...transport(),
        }),
      });

      const account = await withAgenda([oncehub], async (agenda) => (await agenda.oncehub.test()).account);

      expect(account).toBe("admin@example.com");
    });

    it("checks what the factory returns", async () => {
      const oncehub = OnceHubModule.forRootAsync({
        useFactory: () => ({ keys: staticKey("k"), tenants: () => "a" }) as never,
      });

      const error = await rejectionOf(withAgenda([oncehub], async () => undefined));

      expect(error).toMatchObject({ code: "CONFIG", variable: "tenants" });
      expect((error as Error).message).toMatch(
        /OnceHubModule\.forRootAsync.s useFactory with keys: unknown option tenants\. Did you mean tenant\?/,
      );
    });
  });

  describe("global", () => {
    @Injectable()
    class FeatureService {
      constructor(@Inject(OnceHubClient) readonly oncehub: OnceHubClient) {}
    }
    @Module({ providers: [FeatureService], exports: [FeatureService] })
    class FeatureModule {}

    async function featureClient(global: boolean): Promise<unknown> {
      @Module({ imports: [OnceHubModule.forRoot({ keys: staticKey("k"), global }), FeatureModule] })
      class AppModule {}
      try {
        const app = await NestFactory.createApplicationContext(AppModule, {
          logger: false,
          abortOnError: false,
        });
        const client = app.get(FeatureService).oncehub;
        await app.close();
        return client;
      } catch (error) {
        return error;
      }
    }

    it("makes the client visible to every module when true", async () => {
      expect(await featureClient(true)).toBeInstanceOf(OnceHubClient);
    });

    it("keeps it to the modules that import it when false", async () => {
      expect(await featureClient(false)).toMatchObject({ message: expect.stringMatching(/FeatureService/) });
    });
  });

  describe("options", () => {
    const cases: [name: string, make: () => unknown, variable: string, says: RegExp][] = [
      [
        "a misspelt option",
        () => OnceHubModule.forRoot({ keys: staticKey("k"), tennant: () => "a" } as never),
        "tennant",
        /Did you mean tenant\?/,
      ],
      [
        "a misspelt pacingSources",
        () => OnceHubModule.forRoot({ sources: [envSource], pacingSource: [] } as never),
        "pacingSource",
        /Did you mean pacingSources\?/,
      ],
      [
        "baseUrl with sources",
        () => OnceHubModule.forRoot({ sources: [envSource], baseUrl: "https://x" } as never),
        "baseUrl",
        /ONCEHUB_BASE_URL/,
      ],
      [
        "both keys and sources",
        () => OnceHubModule.forRoot({ keys: staticKey("k"), sources: [envSource] } as never),
        "keys",
        /either `sources`.*or `keys`/,
      ],
      ["neither keys nor sources", () => OnceHubModule.forRoot({} as never), "sources", /either `sources`/],
      [
        "a tenant that is no function",
        () => OnceHubModule.forRoot({ keys: staticKey("k"), tenant: "acme" } as never),
        "tenant",
        /tenant must be a function/,
      ],
      [
        "an empty webhook secret",
        () => OnceHubModule.forRoot({ keys: staticKey("k"), webhook: { secret: "" } }),
        "secret",
        /secret must be/,
      ],
      [
        "a misspelt webhook option",
        () =>
          OnceHubModule.forRoot({ keys: staticKey("k"), webhook: { secret: "s", tolerance: 1 } } as never),
        "webhook.tolerance",
        /The options of webhook are: secret, toleranceSeconds/,
      ],
      [
        "global that is no boolean",
        () => OnceHubModule.forRoot({ keys: staticKey("k"), global: "yes" } as never),
        "global",
        /true or false/,
      ],
      [
        "a misspelt forRootAsync option",
        () =>
          OnceHubModule.forRootAsync({ useFactory: () => ({ keys: staticKey("k") }), injects: [] } as never),
        "injects",
        /Did you mean inject\?/,
      ],
      [
        "forRootAsync without useFactory",
        () => OnceHubModule.forRootAsync({} as never),
        "useFactory",
        /useFactory must be a function/,
      ],
      [
        "the key itself as options",
        () => OnceHubModule.forRoot(CANARY_KEYS.dashed as never),
        "options",
        /a string of 43 characters/,
      ],
    ];

    it.each(cases)("refuses %s with a ConfigError naming it", (_name, make, variable, says) => {
      let error: unknown;
      try {
        make();
      } catch (caught) {
        error = caught;
      }

      expect(error).toMatchObject({ code: "CONFIG", variable });
      expect((error as Error).message).toMatch(says);
      expect(holdsKey(printedForms(error), CANARY_KEYS.dashed)).toBe(false);
    });
  });

  describe("without a tenant option", () => {
    it("gives @TenantClient() the client itself", async () => {
      @Controller()
      class Probe {
        constructor(@Inject(OnceHubClient) private readonly oncehub: OnceHubClient) {}

        @Get("same")
        same(@TenantClient() client: OnceHubClient) {
          return { same: client === this.oncehub };
        }
      }
      @Module({
        imports: [OnceHubModule.forRoot({ keys: staticKey(sandbox().key), ...transport() })],
        controllers: [Probe],
      })
      class AppModule {}
      const app = await listen(await NestFactory.create(AppModule, { logger: false, abortOnError: false }));
      try {
        expect((await app.call("/same")).json).toEqual({ same: true });
      } finally {
        await app.close();
      }
    });
  });

  describe("when a webhook route is wired wrong", () => {
    it("answers 500 with a ConfigError for @OnceHubEvent() without the guard, and for the guard without a secret", async () => {
      @Controller()
      class Hooks {
        @Post("unguarded")
        unguarded(@OnceHubEvent() event: unknown) {
          return event;
        }

        @Post("guarded")
        @UseGuards(OnceHubWebhookGuard)
        guarded(@OnceHubEvent() event: unknown) {
          return event;
        }
      }
      @Module({
        imports: [OnceHubModule.forRoot({ keys: staticKey(sandbox().key), ...transport() })],
        controllers: [Hooks],
      })
      class AppModule {}
      const app = await listen(
        await NestFactory.create(AppModule, { logger: false, abortOnError: false, rawBody: true }),
      );
      try {
        const unguarded = await sandbox().sendWebhook(`${app.url}/unguarded`, "booking.scheduled", "s");
        const guarded = await sandbox().sendWebhook(`${app.url}/guarded`, "booking.scheduled", "s");

        expect([unguarded.status, JSON.parse(unguarded.body)]).toEqual([
          500,
          { error: expect.objectContaining({ code: "CONFIG" }) },
        ]);
        expect([guarded.status, JSON.parse(guarded.body)]).toEqual([
          500,
          { error: expect.objectContaining({ code: "CONFIG" }) },
        ]);
      } finally {
        await app.close();
      }
    });
  });
});
