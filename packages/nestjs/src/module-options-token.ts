/**
 * The token of the module's checked options ({@link ResolvedModuleOptions}), under `Symbol.for` so two copies of
 * the package agree on it. Exported by `OnceHubModule` for its guard and pipe; not part of the public surface.
 */
export const ONCEHUB_MODULE_OPTIONS: unique symbol = Symbol.for("oncekey.nestjs.ModuleOptions");
