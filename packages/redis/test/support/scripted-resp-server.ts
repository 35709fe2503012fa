import { once } from "node:events";
import { createServer, type Server, type Socket } from "node:net";

/** A server that speaks Redis's protocol but is not Redis: it answers each command with what the test says. */
export interface ScriptedRespServer {
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Starts a RESP server on a free loopback port that parses each command (an array of bulk strings) and writes
 * `answer(command)` back, raw RESP; `+OK` for a command the test leaves to it (`undefined`).
 *
 * @param answer - The reply to a command, given its parts (`["EVALSHA", sha, "1", key, …]`).
 */
export async function startScriptedRespServer(
  answer: (command: string[]) => string | undefined,
): Promise<ScriptedRespServer> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on("error", () => undefined);
    socket.on("close", () => sockets.delete(socket));
    let buffer = "";
    socket.on("data", (data) => {
      buffer += data.toString("latin1");
      for (;;) {
        const parsed = parseCommand(buffer);
        if (parsed === undefined) return;
        buffer = buffer.slice(parsed.length);
        socket.write(answer(parsed.command) ?? "+OK\r\n");
      }
    });
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as { port: number };
  return {
    url: `redis://127.0.0.1:${port}`,
    async close() {
      for (const socket of sockets) socket.destroy();
      server.close();
      await once(server, "close");
    },
  };
}

/** One complete command at the start of `input` (`*N` then N `$len` strings), or undefined while it is partial. */
function parseCommand(input: string): { command: string[]; length: number } | undefined {
  const head = /^\*(\d+)\r\n/.exec(input);
  if (head === null) return undefined;
  let at = head[0].length;
  const command: string[] = [];
  for (let i = 0; i < Number(head[1]); i++) {
    const size = /^\$(\d+)\r\n/.exec(input.slice(at));
    if (size === null) return undefined;
    at += size[0].length;
    const end = at + Number(size[1]);
    if (input.length < end + 2) return undefined;
    command.push(input.slice(at, end));
    at = end + 2;
  }
  return { command, length: at };
}
