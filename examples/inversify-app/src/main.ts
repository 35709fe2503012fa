import "reflect-metadata";
import { azureKeyVaultSource } from "@oncekey/azure-keyvault";
import { dotenvSource, envSource } from "@oncekey/env";
import { fileSource } from "@oncekey/file";
import { OnceKeyModule } from "@oncekey/inversify";
import { Container } from "inversify";
import { OnceHubStatus } from "./oncehub-status.js";
import { unloadAndClose } from "./unload-and-close.js";

// Every source the app may use is registered; ONCEKEY_SOURCE picks one (or a chain) at start-up.
const oncekey = OnceKeyModule.fromEnvironment({
  sources: [envSource, dotenvSource, fileSource, azureKeyVaultSource],
});
const container = new Container();
container.bind(OnceHubStatus).toSelf().inSingletonScope();

let loaded = false;
try {
  // The module loads synchronously: inversify 8's `load` returns nothing, 7's a promise; awaiting suits both.
  await container.load(oncekey);
  loaded = true;
  const report = await container.get(OnceHubStatus).check();
  console.log(JSON.stringify(report));
} catch (error) {
  // oncekey errors name the variable and the fix, and never hold the key.
  const { code, message } = error as { code?: string; message?: string };
  console.error(`${code ?? "ERROR"}: ${message ?? String(error)}`);
  process.exitCode = 1;
} finally {
  if (loaded) await unloadAndClose(container, oncekey);
}
