// Providers
export { fromEnv } from "./env/from-env.js";
export type { FromEnvOptions } from "./env/from-env.js";
export type { TenantToVariable } from "./names/variable-names.js";
