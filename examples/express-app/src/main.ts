import type { AddressInfo } from "node:net";
import { OnceHubClient } from "@oncekey/core";
import { envSource } from "@oncekey/env";
import { fileSource } from "@oncekey/file";
import { createApp } from "./app.js";

// ONCEKEY_SOURCE and its variables pick where each tenant's key is kept, e.g. ONCEKEY_SOURCE=file with
// ONCEKEY_FILE_PATH=/run/secrets/oncehub/{tenant}; a bad configuration stops the service here.
let client: OnceHubClient;
try {
  client = OnceHubClient.fromEnvironment({ sources: [envSource, fileSource] });
} catch (error) {
  const { code, message } = error as { code?: string; message?: string };
  console.error(`${code ?? "ERROR"}: ${message ?? String(error)}`);
  process.exit(1);
}

const { app, middleware } = createApp(client, process.env.ONCEHUB_WEBHOOK_SECRET ?? "");
const server = app.listen(Number(process.env.PORT ?? 3000), "127.0.0.1", () => {
  console.log(JSON.stringify({ listening: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }));
});
server.on("close", () => {
  void middleware.close().then(() => console.log(JSON.stringify({ closed: "OnceHub client" })));
});
// On a stop signal the server stops taking requests, then the client closes its connections and key watchers.
for (const signal of ["SIGTERM", "SIGINT"] as const) process.once(signal, () => server.close());
