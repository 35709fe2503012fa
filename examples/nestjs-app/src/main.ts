import "reflect-metadata";
import { NestFactory } from "@nestjs/core";
import { AppModule } from "./app.module.js";

// A bad configuration (ONCEKEY_SOURCE & co.) stops the service here, with the variable to fix: printed once, as
// oncekey's message, so Nest does not log it during start-up.
const app = await NestFactory.create(AppModule, { rawBody: true, logger: false, abortOnError: false }).catch(
  (error: { code?: string; message?: string }) => {
    console.error(`${error.code ?? "ERROR"}: ${error.message ?? String(error)}`);
    process.exit(1);
  },
);
app.useLogger(["error", "warn"]);
await app.listen(Number(process.env.PORT ?? 3000), "127.0.0.1");
console.log(JSON.stringify({ listening: (await app.getUrl()).replace("[::1]", "127.0.0.1") }));
// On a stop signal the app closes: OnceHubModule's onApplicationShutdown closes the client.
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.once(signal, () => {
    void app.close().then(() => console.log(JSON.stringify({ closed: "OnceHub client" })));
  });
}
