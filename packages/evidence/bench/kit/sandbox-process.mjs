// A sandbox in its own process, so its CPU is not billed to the measured client and its state stays out of the
// measured heap. Sends { url, baseUrl, ca, key, keys } once listening (`keys`: one per extra account asked for);
// closes on "close" or when the parent goes away.
import { startSandbox } from "@oncekey/sandbox";

const { accounts = 0 } = JSON.parse(process.argv[2] ?? "{}");
const sandbox = await startSandbox({
  rateLimit: false,
  bookings: accounts > 0 ? 0 : 37,
  requestLogLimit: 1_000,
});
const keys = [];
for (let i = 0; i < accounts; i++) keys.push(sandbox.accounts.create(`tenant-${i}@example.com`).key);

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  await sandbox.close();
  process.exit(0);
}
process.on("message", (message) => {
  if (message === "close") void stop();
});
process.on("disconnect", () => void stop());
process.on("SIGTERM", () => void stop());
process.send({ url: sandbox.url, baseUrl: sandbox.baseUrl, ca: sandbox.ca, key: sandbox.key, keys });
