import type { WebhookEvent } from "@oncekey/core";
import { OnceHubEvent, OnceHubWebhookGuard } from "@oncekey/nestjs";
import { Controller, HttpCode, Post, UseGuards } from "@nestjs/common";

/** OnceHub's deliveries: the guard checks each signature before `received` runs. */
@Controller("webhooks")
export class WebhooksController {
  @Post("oncehub")
  @UseGuards(OnceHubWebhookGuard)
  @HttpCode(200)
  received(@OnceHubEvent() event: WebhookEvent): void {
    console.log(JSON.stringify({ received: event.type, id: event.id }));
  }
}
