import { once } from "node:events";
import { connect, type Socket } from "node:net";
import { Agent, request } from "undici";
import type { Sandbox } from "../src/index.js";

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
