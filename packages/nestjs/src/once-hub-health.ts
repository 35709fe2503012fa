import { OnceHubClient, OnceKeyError } from "@oncekey/core";
import { httpErrorAnswer } from "@oncekey/core/http";
import { checkOptionNames, numberOption } from "@oncekey/core/source";
import { Inject, Injectable } from "@nestjs/common";

/**
 * Options of {@link OnceHubHealth.check}.
 *
 * @example
 * ```ts
 * const options: OnceHubHealthCheckOptions = { tenant: "acme", timeoutMs: 2_000 };
 * ```
 */
export interface OnceHubHealthCheckOptions {
  /** Check this tenant's key instead of the client's own. @defaultValue none */
  readonly tenant?: string;
  /** Give up, and report `down`, after this long. @defaultValue `5_000` */
  readonly timeoutMs?: number;
}

/**
 * What {@link OnceHubHealth.check} found: `up` with the account the key belongs to, or `down` with the error's code
 * and the message the module's HTTP answers would give (a fixed sentence for the server's own faults).
 *
 * @example
 * ```ts
 * const result: OnceHubHealthResult = { status: "up", account: "admin@example.com" };
 * ```
 */
export type OnceHubHealthResult =
  | {
      /** The key works. */
      readonly status: "up";
      /** The account OnceHub says the key belongs to. */
      readonly account: string;
    }
  | {
      /** The key does not work, or OnceHub could not be reached. */
      readonly status: "down";
      /** The oncekey error's code, e.g. `AUTHENTICATION`, `TIMEOUT`. */
      readonly code: string;
      /** What the module's HTTP answer for the error would say. */
      readonly message: string;
    };

/**
 * A health check of the OnceHub connection: `check()` calls `client.test()` (`GET /test`) with the module's client
 * and says whether the key works. It never throws for an oncekey error. `OnceHubModule` provides it; with
 * `@nestjs/terminus` installed, `OnceHubHealthIndicator` from `@oncekey/nestjs/terminus` wraps it.
 *
 * @example
 * ```ts
 * @Get("health/oncehub")
 * health() {
 *   return this.health.check({ timeoutMs: 2_000 });
 * }
 * ```
 */
@Injectable()
export class OnceHubHealth {
  constructor(@Inject(OnceHubClient) private readonly client: OnceHubClient) {}

  /**
   * Calls `GET /test` and reports the outcome.
   *
   * @param options - {@link OnceHubHealthCheckOptions}.
   * @throws `ConfigError` for a bad option; `InvalidTenantError` for an invalid tenant id.
   */
  async check(options: OnceHubHealthCheckOptions = {}): Promise<OnceHubHealthResult> {
    checkOptionNames(options as unknown, ["tenant", "timeoutMs"], "OnceHubHealth.check");
    const timeoutMs = numberOption(
      options.timeoutMs,
      "timeoutMs",
      5_000,
      { min: 1, unit: "ms" },
      "OnceHubHealth.check",
    );
    const client = options.tenant === undefined ? this.client : this.client.forTenant(options.tenant);
    const signal = AbortSignal.timeout(timeoutMs);
    try {
      const { account } = await client.test({ signal });
      return { status: "up", account };
    } catch (error) {
      if (signal.aborted && !OnceKeyError.is(error)) {
        return { status: "down", code: "TIMEOUT", message: `OnceHub did not answer within ${timeoutMs} ms.` };
      }
      const answer = httpErrorAnswer(error, options.tenant === undefined ? {} : { tenant: options.tenant });
      if (answer === undefined) throw error;
      return { status: "down", code: answer.body.error.code, message: answer.body.error.message };
    }
  }
}
