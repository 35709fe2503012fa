// Providers
export { fromEnv } from "./env/from-env.js";
export type { FromEnvOptions } from "./env/from-env.js";
export { fromDotenv } from "./dotenv/from-dotenv.js";
export type { FromDotenvOptions } from "./dotenv/from-dotenv-options.js";
export type { FilePermissions } from "@oncekey/core/source";
export type { TenantToVariable } from "./names/variable-template.js";

// Configuration
export { envSource } from "./config/env-source.js";
export { dotenvSource } from "./config/dotenv-source.js";
