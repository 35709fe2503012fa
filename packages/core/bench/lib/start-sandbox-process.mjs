// Starts bench/sandbox-process.mjs as a child process and reads the connection details it prints.
import { spawn } from "node:child_process";
import { clearTimeout, setTimeout } from "node:timers";
import { fileURLToPath, URL } from "node:url";

const SCRIPT = fileURLToPath(new URL("../sandbox-process.mjs", import.meta.url));

/** Resolves to `{ baseUrl, ca, key, pid, stop() }` once the sandbox listens; rejects if it exits first. */
export function startSandboxProcess({ timeoutMs = 30_000 } = {}) {
  const child = spawn(process.execPath, [SCRIPT], { stdio: ["pipe", "pipe", "inherit"] });
  const stop = () =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once("exit", () => resolve());
      child.stdin.end();
      setTimeout(() => child.kill("SIGKILL"), 5_000).unref();
    });
  // A crash of this process must not leave the sandbox running.
  process.once("exit", () => child.kill("SIGKILL"));

  return new Promise((resolve, reject) => {
    let output = "";
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`the sandbox process did not start within ${timeoutMs} ms`));
    }, timeoutMs);
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      reject(
        new Error(
          `the sandbox process exited early (code ${code}, signal ${signal}); is @oncekey/sandbox built?`,
        ),
      );
    });
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", function onData(chunk) {
      output += chunk;
      const newline = output.indexOf("\n");
      if (newline === -1) return;
      child.stdout.off("data", onData);
      child.stdout.resume();
      clearTimeout(timer);
      child.removeAllListeners("exit");
      resolve({ ...JSON.parse(output.slice(0, newline)), pid: child.pid, stop });
    });
  });
}
