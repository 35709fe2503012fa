import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { signWebhookPayload } from "@oncekey/core";
import { trackUnhandledRejections } from "@oncekey/test-support";
import express from "express";
import { oncehubWebhook } from "../src/index.js";
import { listen, type RunningApp } from "./harness.js";

const EVENT = JSON.stringify({
  object: "event",
  id: "EVNT-1",
  creation_time: "2026-01-18T09:30:00Z",
  type: "booking.scheduled",
  api_version: "v2",
  data: {},
});

// Another middleware (a request timeout, a gateway guard) may answer while a slow secret lookup is pending.
describe("oncehubWebhook(), when the request was answered while its secret was looked up", () => {
  let running: RunningApp;
  let handled = 0;

  beforeAll(async () => {
    const app = express();
    app.use((_req, res, next) => {
      setTimeout(() => {
        if (!res.headersSent) res.status(503).send("timed out");
      }, 20).unref();
      next();
    });
    app.post(
      "/webhooks",
      oncehubWebhook({
        secret: async () => {
          await sleep(150);
          return "whsec-answered-meanwhile";
        },
      }),
      (_req, res) => {
        handled++;
        if (!res.headersSent) res.sendStatus(200);
      },
    );
    running = await listen(app);
  });

  afterAll(async () => {
    await running.close();
  });

  it.each([
    ["a bad delivery", "t=1,s=00", 0],
    ["a good delivery", signWebhookPayload(EVENT, "whsec-answered-meanwhile"), 1],
  ])("takes %s through without an unhandled rejection; the first answer stands", async (_, header, runs) => {
    const rejections = trackUnhandledRejections();
    const before = handled;

    const answer = await running.call("/webhooks", {
      method: "POST",
      headers: { "content-type": "application/json", "oncehub-signature": header },
      body: EVENT,
    });
    await sleep(300);

    expect(answer.status).toBe(503);
    expect(await rejections.stop()).toEqual([]);
    expect(handled - before).toBe(runs);
  });
});
