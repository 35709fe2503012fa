import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { connect } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { freePort } from "@oncekey/test-support";

/** A redis-server of the test's own, on a free loopback port, without persistence. */
export interface RedisServer {
  readonly port: number;
  /** `redis://127.0.0.1:<port>` (with the password, when one was set). */
  readonly url: string;
  /** Stops the server (its data goes with it). Safe to call twice. */
  stop(): Promise<void>;
  /** Starts it again on the same port, empty. */
  start(): Promise<void>;
}

/**
 * Starts `redis-server --port <free port> --save "" --appendonly no` and waits until it accepts connections.
 *
 * @param password - Makes the server require this password.
 */
export async function startRedisServer(password?: string): Promise<RedisServer> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  const start = async (): Promise<void> => {
    const args = ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"];
    if (password !== undefined) args.push("--requirepass", password);
    child = spawn("redis-server", args, { stdio: "ignore" });
    const started = child;
    process.once("exit", () => started.kill("SIGKILL"));
    for (let i = 0; i < 200; i++) {
      if (await accepts(port)) return;
      if (started.exitCode !== null) throw new Error(`redis-server exited with ${started.exitCode}`);
      await sleep(25);
    }
    throw new Error("redis-server did not start within 5 s");
  };
  const stop = async (): Promise<void> => {
    const running = child;
    child = undefined;
    if (running === undefined || running.exitCode !== null) return;
    const exited = once(running, "exit");
    running.kill("SIGKILL");
    await exited;
  };
  await start();
  const auth = password === undefined ? "" : `:${encodeURIComponent(password)}@`;
  return { port, url: `redis://${auth}127.0.0.1:${port}`, stop, start };
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}
