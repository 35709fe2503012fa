import { envSource } from "@oncekey/env";
import { fileSource } from "@oncekey/file";
import { OnceHubModule, tenantFromParam } from "@oncekey/nestjs";
import { OnceHubHealthIndicator } from "@oncekey/nestjs/terminus";
import { Module } from "@nestjs/common";
import { TerminusModule } from "@nestjs/terminus";
import { HealthController } from "./health.controller.js";
import { TenantsController } from "./tenants.controller.js";
import { WebhooksController } from "./webhooks.controller.js";

@Module({
  imports: [
    // ONCEKEY_SOURCE and its variables pick where each tenant's key is kept, e.g. ONCEKEY_SOURCE=file with
    // ONCEKEY_FILE_PATH=/run/secrets/oncehub/{tenant}.
    OnceHubModule.forRoot({
      sources: [envSource, fileSource],
      tenant: tenantFromParam("tenant"),
      webhook: { secret: process.env.ONCEHUB_WEBHOOK_SECRET ?? "" },
    }),
    TerminusModule,
  ],
  controllers: [TenantsController, WebhooksController, HealthController],
  providers: [OnceHubHealthIndicator],
})
export class AppModule {}
