// Runs the sandbox in its own process for the client benchmark, so its CPU does not bill the client's.
// Prints `{ baseUrl, ca, key }` as one JSON line on stdout, then serves until stdin closes or SIGTERM.
import { startSandbox } from "@oncekey/sandbox";

const sandbox = await startSandbox({ rateLimit: false, requestLogLimit: 1_000 });
process.stdout.write(`${JSON.stringify({ baseUrl: sandbox.baseUrl, ca: sandbox.ca, key: sandbox.key })}\n`);

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  await sandbox.close();
  process.exit(0);
}
// The parent holds our stdin: when it exits, even by a crash, stdin ends and the sandbox goes with it.
process.stdin.on("end", stop);
process.stdin.on("error", stop);
process.stdin.resume();
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
