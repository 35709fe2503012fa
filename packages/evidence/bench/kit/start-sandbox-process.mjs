// Starts kit/sandbox-process.mjs as a child process and waits until it listens.
import { fork } from "node:child_process";
import { once } from "node:events";
import { clearTimeout, setTimeout } from "node:timers";
import { fileURLToPath, URL } from "node:url";

const SCRIPT = fileURLToPath(new URL("./sandbox-process.mjs", import.meta.url));

/**
 * Resolves to `{ url, baseUrl, ca, key, keys, pid, stop() }` once the sandbox listens; rejects if it exits first.
 *
 * @param {{ accounts?: number, timeoutMs?: number }} [options] - `accounts`: extra accounts, one key each, in `keys`
 */
export async function startSandboxProcess({ accounts = 0, timeoutMs = 60_000 } = {}) {
  const child = fork(SCRIPT, [JSON.stringify({ accounts })], {
    serialization: "advanced",
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  // A crash of the measure must not leave the sandbox running.
  const kill = () => child.kill("SIGKILL");
  process.once("exit", kill);
  const stop = async () => {
    process.off("exit", kill);
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, "exit");
    child.send("close");
    const timer = setTimeout(kill, 5_000).unref();
    await exited;
    clearTimeout(timer);
  };
  const timer = setTimeout(kill, timeoutMs).unref();
  try {
    const [details] = await Promise.race([
      once(child, "message"),
      once(child, "exit").then(([code, signal]) => {
        throw new Error(
          `the sandbox process exited early (code ${code}, signal ${signal}); is @oncekey/sandbox built?`,
        );
      }),
    ]);
    return { ...details, pid: child.pid, stop };
  } finally {
    clearTimeout(timer);
  }
}
