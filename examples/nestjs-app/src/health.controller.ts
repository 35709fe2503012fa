import { OnceHubHealthIndicator } from "@oncekey/nestjs/terminus";
import { Controller, Get } from "@nestjs/common";
import { HealthCheck, HealthCheckService } from "@nestjs/terminus";

/** `GET /health`: terminus' report, with OnceHub checked through the key of `ONCEHUB_HEALTH_TENANT`. */
@Controller("health")
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly oncehub: OnceHubHealthIndicator,
  ) {}

  @Get()
  @HealthCheck()
  check() {
    const tenant = process.env.ONCEHUB_HEALTH_TENANT;
    return this.health.check([
      () => this.oncehub.isHealthy("oncehub", tenant === undefined ? {} : { tenant, timeoutMs: 2_000 }),
    ]);
  }
}
