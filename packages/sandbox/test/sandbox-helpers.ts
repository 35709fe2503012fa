import { once } from "node:events";
import { connect, type Socket } from "node:net";
import { Agent, request } from "undici";
import { afterAll, beforeAll } from "@jest/globals";
import { startSandbox, type Sandbox, type StartSandboxOptions } from "../src/index.js";

/** A running sandbox and an undici agent that trusts it. */
export interface StartedSandbox {
  readonly sandbox: Sandbox;
  readonly agent: Agent;
}

/**
 * Starts a sandbox (no rate limit unless `options` says) and a trusting agent before the enclosing block's tests,
 * hands them to `use`, and closes both after the tests.
 *
 * @example
 * ```ts
 * let sandbox: Sandbox;
 * let agent: Agent;
 * useSandbox((started) => ({ sandbox, agent } = started));
 * ```
 */
export function useSandbox(
  use: (started: StartedSandbox) => void,
  options: StartSandboxOptions = { rateLimit: false },
): void {
  let started: StartedSandbox | undefined;
  beforeAll(async () => {
    const sandbox = await startSandbox(options);
    started = { sandbox, agent: trustingAgent(sandbox) };
    use(started);
  });
  afterAll(async () => {
    await started?.agent.close();
    await started?.sandbox.close();
  });
}

/** An undici agent that trusts the sandbox's CA. */
export function trustingAgent(sandbox: Sandbox, connections?: number): Agent {
  return new Agent({ connect: { ca: sandbox.ca }, ...(connections === undefined ? {} : { connections }) });
}

export interface Reply {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: unknown;
  readonly text: string;
}

/** A plain undici request to the sandbox (not the project's client), body parsed as JSON when there is one. */
export async function call(
  agent: Agent,
  url: string,
  options: { method?: string; key?: string | null; body?: unknown; headers?: Record<string, string> } = {},
): Promise<Reply> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.key !== undefined && options.key !== null) headers["API-Key"] = options.key;
  if (options.body !== undefined) headers["content-type"] = "application/json";
  const res = await request(url, {
    method: (options.method ?? "GET") as "GET",
    headers,
    dispatcher: agent,
    ...(options.body === undefined
      ? {}
      : { body: typeof options.body === "string" ? options.body : JSON.stringify(options.body) }),
  });
  const text = await res.body.text();
  return {
    status: res.statusCode,
    headers: res.headers,
    body: text === "" ? undefined : JSON.parse(text),
    text,
  };
}

/** Whether `promise` settles within `ms`: a deadline for "does not hang", generous enough for a loaded machine. */
export async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([promise.then(() => true), deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** A TCP connection to `url`'s port that sends nothing (for an https URL: never starts TLS). */
export async function idleConnection(url: string): Promise<Socket> {
  const socket = connect(Number(new URL(url).port), "127.0.0.1");
  socket.on("error", () => undefined);
  await once(socket, "connect");
  return socket;
}
