// Providers
export { fromEnv } from "./env/from-env.js";
export type { FromEnvOptions } from "./env/from-env.js";
export { fromDotenv } from "./dotenv/from-dotenv.js";
export type { FromDotenvOptions } from "./dotenv/from-dotenv.js";
export type { FilePermissions } from "./dotenv/exposure-warnings.js";
export type { TenantToVariable } from "./names/variable-names.js";

// Configuration
export { envSource } from "./config/env-source.js";
export { dotenvSource } from "./config/dotenv-source.js";
