import { Inject, Injectable } from "@nestjs/common";
import { HealthIndicatorService, type HealthIndicatorResult } from "@nestjs/terminus";
import { OnceHubHealth, type OnceHubHealthCheckOptions } from "../once-hub-health.js";

/**
 * A `@nestjs/terminus` health indicator for the OnceHub connection: `isHealthy(key)` runs `OnceHubHealth.check()`
 * (`GET /test` with the module's client) and reports `up` with the account, or `down` with the error's code and
 * message. Provide it in a module that imports `TerminusModule` and sees `OnceHubModule`.
 *
 * @example
 * ```ts
 * @Controller("health")
 * class HealthController {
 *   constructor(
 *     private readonly health: HealthCheckService,
 *     private readonly oncehub: OnceHubHealthIndicator,
 *   ) {}
 *
 *   @Get()
 *   @HealthCheck()
 *   check() {
 *     return this.health.check([() => this.oncehub.isHealthy("oncehub")]);
 *   }
 * }
 * ```
 */
@Injectable()
export class OnceHubHealthIndicator {
  constructor(
    @Inject(HealthIndicatorService) private readonly indicators: HealthIndicatorService,
    @Inject(OnceHubHealth) private readonly health: OnceHubHealth,
  ) {}

  /**
   * Checks the OnceHub connection and reports it under `key`.
   *
   * @param key - The name in terminus' report. @defaultValue `"oncehub"`
   * @param options - `OnceHubHealthCheckOptions`: a tenant, a timeout.
   */
  async isHealthy<const Key extends string = "oncehub">(
    key: Key = "oncehub" as Key,
    options?: OnceHubHealthCheckOptions,
  ): Promise<HealthIndicatorResult<Key>> {
    const indicator = this.indicators.check(key);
    const result = await this.health.check(options);
    return result.status === "up"
      ? indicator.up({ account: result.account })
      : indicator.down({ code: result.code, message: result.message });
  }
}
