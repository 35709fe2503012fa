export { OnceKeyModule } from "./once-key-module.js";
export { ONCEKEY } from "./oncekey.js";
export type { OnceKeyClientOptions, OnceKeyModuleEnvironmentOptions } from "./services-from-environment.js";
export type {
  OnceKeyModuleKeysOptions,
  OnceKeyModuleOptions,
  OnceKeyModuleSourcesOptions,
} from "./services-from-options.js";
