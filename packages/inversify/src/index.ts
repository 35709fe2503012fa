export { OnceKeyModule } from "./once-key-module.js";
export { ONCEKEY } from "./oncekey.js";
export type { OnceKeyClientOptions } from "./once-key-client-options.js";
export type { OnceKeyModuleEnvironmentOptions } from "./services-from-environment.js";
export type {
  OnceKeyModuleKeysOptions,
  OnceKeyModuleOptions,
  OnceKeyModuleSourcesOptions,
} from "./services-from-options.js";
