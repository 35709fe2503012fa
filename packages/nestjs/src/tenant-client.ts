import { OnceHubClient } from "@oncekey/core";
import {
  createParamDecorator,
  Inject,
  Injectable,
  type ExecutionContext,
  type PipeTransform,
} from "@nestjs/common";
import { ONCEHUB_MODULE_OPTIONS } from "./module-options-token.js";
import { requestTenants } from "./request-state.js";
import type { ResolvedModuleOptions } from "./resolve-module-options.js";

/**
 * Turns the underlying HTTP request into the client of its tenant, as `OnceHubModule`'s `tenant` option says.
 * Internal: `@TenantClient()` applies it.
 */
@Injectable()
export class TenantClientPipe implements PipeTransform<object, OnceHubClient> {
  readonly #clients = new WeakMap<object, OnceHubClient>();

  constructor(
    @Inject(OnceHubClient) private readonly client: OnceHubClient,
    @Inject(ONCEHUB_MODULE_OPTIONS) private readonly options: ResolvedModuleOptions,
  ) {}

  transform(request: object): OnceHubClient {
    let resolved = this.#clients.get(request);
    if (resolved === undefined) {
      const tenant = this.options.tenant?.(
        request as Parameters<NonNullable<ResolvedModuleOptions["tenant"]>>[0],
      );
      resolved = tenant === undefined ? this.client : this.client.forTenant(tenant);
      if (tenant !== undefined) requestTenants.set(request, tenant);
      this.#clients.set(request, resolved);
    }
    return resolved;
  }
}

const httpRequest = createParamDecorator((_data: unknown, context: ExecutionContext): object =>
  context.switchToHttp().getRequest(),
);

/**
 * A route handler parameter decorator that gives the client of the request's tenant:
 * `client.forTenant(tenant(request))` with `OnceHubModule`'s `tenant` option, or the client itself when the
 * request names none. It shares the client's connections and pacing.
 *
 * An invalid tenant id is an `InvalidTenantError`, answered 400 before the handler runs and before any key is
 * read; a tenant without a key is answered 404 once the handler calls OnceHub.
 *
 * @returns The parameter decorator.
 * @example
 * ```ts
 * @Get("bookings")
 * bookings(@TenantClient() oncehub: OnceHubClient) {
 *   return oncehub.bookings.page({ limit: 10 });
 * }
 * ```
 */
export function TenantClient(): ParameterDecorator {
  return httpRequest(undefined, TenantClientPipe);
}
