// One instance of a fleet, run as its own process by fleet.redis.test.ts: one OnceHubClient (the built
// packages, as an app loads them) whose tenants each call as fast as they can until the run ends. Prints one
// JSON line: calls that succeeded, the messages of those that failed, and the pacing events seen.
import { setMaxListeners } from "node:events";
import { setTimeout } from "node:timers";
import { OnceHubClient, staticKey } from "@oncekey/core";
import { redisPacing } from "@oncekey/redis";

const config = JSON.parse(process.argv[2]);
const events = [];
const onEvent = (event) => {
  if (event.type.startsWith("pacing:"))
    events.push({ type: event.type, reason: event.reason, instances: event.instances });
};
const store =
  config.redisUrl === undefined
    ? undefined
    : // Four instances, Redis and the sandbox share two cores here, whose event loops stall past the default 200 ms
      // at times: a stall is not Redis being slow, and would count as a fallback.
      redisPacing({
        url: config.redisUrl,
        prefix: config.prefix,
        heartbeatMs: 500,
        timeoutMs: 1_000,
        onEvent,
      });
const keys = {
  name: "tenants",
  getKey: (request) => staticKey(config.keys[request?.tenant ?? ""] ?? "missing").getKey(),
};
const client = new OnceHubClient({
  keys,
  baseUrl: config.baseUrl,
  ca: config.ca,
  pacing: { egress: config.egress, ...(store === undefined ? {} : { store }) },
});

const stop = new globalThis.AbortController();
setMaxListeners(1_000, stop.signal);
let ok = 0;
const failed = [];
await new Promise((resolve) => setTimeout(resolve, Math.max(0, config.startAt - Date.now())));
// The same end for every instance, however long each took to load.
setTimeout(() => stop.abort(new Error("the run is over")), config.startAt + config.runMs - Date.now());
await Promise.all(
  Object.keys(config.keys).flatMap((tenant) =>
    [0, 1].map(async () => {
      while (!stop.signal.aborted) {
        try {
          await client.forTenant(tenant).test({ signal: stop.signal });
          ok++;
        } catch (error) {
          if (!stop.signal.aborted) failed.push(`${error.code}: ${error.message}`);
        }
      }
    }),
  ),
);
await client.close();
await store?.close();
process.stdout.write(`${JSON.stringify({ ok, failed, events })}\n`);
