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

const app = await createApp(client, process.env.ONCEHUB_WEBHOOK_SECRET ?? "");
const url = await app.listen({ port: Number(process.env.PORT ?? 3000), host: "127.0.0.1" });
console.log(JSON.stringify({ listening: url }));
// On a stop signal the app closes: the server stops taking requests, and oncehubPlugin closes the client.
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.once(signal, () => {
    void app.close().then(() => console.log(JSON.stringify({ closed: "OnceHub client" })));
  });
}
