// Runs a sandbox with one account per tenant in its own process, so its state stays out of the heap the
// benchmark measures. Sends { baseUrl, ca, keys } once ready; closes on "close" or when the parent goes away.
import { startSandbox } from "@oncekey/sandbox";

const tenants = Number(process.argv[2]);
const sandbox = await startSandbox({ rateLimit: false, bookings: 0, requestLogLimit: 1_000 });
const keys = [];
for (let i = 0; i < tenants; i++) keys.push(sandbox.accounts.create(`tenant-${i}@example.com`).key);

const stop = async () => {
  await sandbox.close();
  process.exit(0);
};
process.on("message", (message) => {
  if (message === "close") void stop();
});
process.on("disconnect", () => void stop());
process.send({ baseUrl: sandbox.baseUrl, ca: sandbox.ca, keys });
