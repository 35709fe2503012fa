export { redisPacing } from "./redis-pacing.js";
export type { RedisPacing } from "./redis-pacing.js";
export type { RedisPacingClient, RedisPacingOptions } from "./redis-pacing-options.js";
export { redisPacingSource } from "./redis-pacing-source.js";
