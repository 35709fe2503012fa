import "reflect-metadata";
import { OnceHubClient, type OnceHubClientOptions, type WebhookEvent } from "@oncekey/core";
import type { TenantRequest } from "@oncekey/core/http";
import { CONTRACT_TENANT_DOMAIN, CONTRACT_WEBHOOK_SECRET } from "@oncekey/test-support";
import {
  Catch,
  Controller,
  HttpException,
  Inject,
  Get,
  HttpCode,
  Module,
  Param,
  Post,
  Query,
  UseGuards,
  type ArgumentsHost,
  type DynamicModule,
  type ExceptionFilter,
  type INestApplication,
  type LoggerService,
  type NestApplicationOptions,
} from "@nestjs/common";
import { APP_FILTER, HttpAdapterHost, NestFactory, type AbstractHttpAdapter } from "@nestjs/core";
import {
  OnceHubEvent,
  OnceHubModule,
  OnceHubWebhookGuard,
  TenantClient,
  tenantFromHeader,
  tenantFromParam,
  tenantFromSubdomain,
  type OnceHubModuleOptions,
} from "../src/index.js";

/** What the test app's webhook handlers saw. */
export interface AppRecord {
  readonly events: WebhookEvent[];
  /** Handler calls per route. */
  readonly calls: Record<string, number>;
}

/** A Nest logger that keeps every line it is given, as one string per call. */
export class LineLogger implements LoggerService {
  readonly lines: string[] = [];
  log(...args: unknown[]): void {
    this.#keep("log", args);
  }
  error(...args: unknown[]): void {
    this.#keep("error", args);
  }
  warn(...args: unknown[]): void {
    this.#keep("warn", args);
  }
  debug(...args: unknown[]): void {
    this.#keep("debug", args);
  }
  verbose(...args: unknown[]): void {
    this.#keep("verbose", args);
  }
  fatal(...args: unknown[]): void {
    this.#keep("fatal", args);
  }
  #keep(level: string, args: unknown[]): void {
    this.lines.push(
      `${level} ${args.map((arg) => (typeof arg === "string" ? arg : JSON.stringify(arg))).join(" ")}`,
    );
  }
}

type RoutedRequest = TenantRequest & { readonly url: string };

const byHeader = tenantFromHeader("x-tenant");
const byParam = tenantFromParam("tenant");
const byHost = tenantFromSubdomain({ domain: CONTRACT_TENANT_DOMAIN });

/**
 * The tenant as the test app reads it: `/h/…` from `X-Tenant`, `/p/tenants/:tenant/…` from the route, `/s/…` from
 * the host name under `tenants.test`, anything else none (the client's own key).
 */
export function tenantOf(request: RoutedRequest): string | undefined {
  if (request.url.startsWith("/h/")) return byHeader(request);
  if (request.url.startsWith("/p/")) return byParam(request);
  if (request.url.startsWith("/s/")) return byHost(request);
  return undefined;
}

/** Builds the app's controllers over `record`. */
function controllers(record: AppRecord) {
  const handled = (route: string, event: WebhookEvent) => {
    record.calls[route] = (record.calls[route] ?? 0) + 1;
    record.events.push(event);
    return { received: event.id };
  };

  @Controller()
  class AccountController {
    // Injected by its class, as an app does: swc emits the parameter's type for Nest to read.
    constructor(private readonly oncehub: OnceHubClient) {}

    @Get("h/account")
    byHeader(@TenantClient() client: OnceHubClient, @Query("probe") probe?: string) {
      return client.request("GET", "/test", { query: { probe: probe ?? "" } });
    }

    @Get("p/tenants/:tenant/account")
    byParam(@TenantClient() client: OnceHubClient, @Query("probe") probe?: string) {
      return client.request("GET", "/test", { query: { probe: probe ?? "" } });
    }

    @Get("s/account")
    byHost(@TenantClient() client: OnceHubClient, @Query("probe") probe?: string) {
      return client.request("GET", "/test", { query: { probe: probe ?? "" } });
    }

    @Get("own/account")
    own(@Query("probe") probe?: string) {
      return this.oncehub.request("GET", "/test", { query: { probe: probe ?? "" } });
    }

    @Get("boom")
    boom() {
      throw new Error("not an oncekey error");
    }
  }

  @Controller()
  class WebhookController {
    @Post("webhooks")
    @UseGuards(OnceHubWebhookGuard)
    @HttpCode(200)
    receive(@OnceHubEvent() event: WebhookEvent) {
      return handled("/webhooks", event);
    }

    @Post("p/tenants/:tenant/webhooks")
    @UseGuards(OnceHubWebhookGuard)
    @HttpCode(200)
    receiveForTenant(@OnceHubEvent() event: WebhookEvent, @Param("tenant") _tenant: string) {
      return handled("/p/tenants/:tenant/webhooks", event);
    }
  }

  return [AccountController, WebhookController];
}

/** The module options the test app passes: the client's, the tenant, the webhook secret (per tenant under `/p/`). */
export function moduleOptions(
  client: Omit<OnceHubClientOptions, "tenant">,
  tenantSecrets: Readonly<Record<string, string>> = {},
): OnceHubModuleOptions<RoutedRequest> {
  return {
    ...client,
    tenant: tenantOf,
    webhook: {
      secret: (request) =>
        request.url.startsWith("/p/")
          ? (tenantSecrets[byParam(request) ?? ""] ?? "")
          : CONTRACT_WEBHOOK_SECRET,
    },
  } as OnceHubModuleOptions<RoutedRequest>;
}

/** The app's own filter for everything: Nest asks the module's filter first for oncekey errors. */
@Catch()
class AppCatchAll implements ExceptionFilter {
  constructor(@Inject(HttpAdapterHost) private readonly adapterHost: HttpAdapterHost) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const own = (error as { status?: unknown }).status;
    const status = error instanceof HttpException ? error.getStatus() : typeof own === "number" ? own : 500;
    this.adapterHost.httpAdapter.reply(host.switchToHttp().getResponse(), { handledBy: "app" }, status);
  }
}

/**
 * The test app (the contract app of `FrameworkHarness`): `OnceHubModule` as `oncehub` builds it, the controllers
 * above, the app's own catch-all filter, Nest's raw body kept; on Express unless `adapter` says otherwise.
 */
export async function testApp(
  oncehub: DynamicModule,
  options: { logger?: LoggerService; rawBody?: boolean; adapter?: AbstractHttpAdapter } = {},
): Promise<{ app: INestApplication; record: AppRecord }> {
  const record: AppRecord = { events: [], calls: {} };
  @Module({
    imports: [oncehub],
    controllers: controllers(record),
    providers: [{ provide: APP_FILTER, useClass: AppCatchAll }],
  })
  class AppModule {}
  const settings: NestApplicationOptions = {
    rawBody: options.rawBody ?? true,
    logger: options.logger ?? false,
  };
  const app =
    options.adapter === undefined
      ? await NestFactory.create(AppModule, settings)
      : await NestFactory.create(AppModule, options.adapter, settings);
  return { app, record };
}

/** The client an app's module built. */
export function clientOf(app: INestApplication): OnceHubClient {
  return app.get(OnceHubClient);
}

export { OnceHubModule };
