// The load side of bench/sandbox-throughput.mjs, in its own process: keeps `connections` requests in flight
// against GET /v2/test for a warm-up second, then counts completed requests for `seconds`.
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { Pool } from "undici";

process.once("message", async ({ url, ca, key, seconds, connections }) => {
  const pool = new Pool(url, { connect: { ca }, connections, pipelining: 1 });
  const headers = { "API-Key": key };
  let counting = false;
  let stop = false;
  let ok = 0;
  let failed = 0;

  async function worker() {
    while (!stop) {
      try {
        const res = await pool.request({ method: "GET", path: "/v2/test", headers });
        await res.body.dump();
        if (counting && res.statusCode === 200) ok++;
        else if (counting) failed++;
      } catch {
        if (counting) failed++;
      }
    }
  }

  const workers = Array.from({ length: connections }, worker);
  await sleep(1_000);
  counting = true;
  process.send({ counting: true });
  const started = performance.now();
  await sleep(seconds * 1_000);
  counting = false;
  const elapsedMs = performance.now() - started;
  stop = true;
  await Promise.all(workers);
  await pool.close();
  process.send({ ok, failed, elapsedMs }, () => process.exit(0));
});
