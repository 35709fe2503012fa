import "reflect-metadata";
import {
  describeErrorContract,
  describeTenantContract,
  describeWebhookContract,
} from "@oncekey/test-support";
import { FastifyAdapter } from "@nestjs/platform-fastify";
import { nestHarness } from "./harness.js";

// The behaviour every integration shows, again on Nest's Fastify platform: the tenant, the raw body and the
// answers come from Fastify's request and reply there.
const harness = nestHarness(" on Nest's Fastify platform", () => new FastifyAdapter());

describeTenantContract(harness);
describeWebhookContract(harness);
describeErrorContract(harness);
