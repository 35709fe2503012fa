/** The package's version: set by the build (tsup.config.ts) and, for its own tests, by jest.config.cjs. */
declare const __ONCEKEY_OPENTELEMETRY_VERSION__: string | undefined;

/** This package's name, the instrumentation scope of its meter and tracer. */
export const PACKAGE_NAME = "@oncekey/opentelemetry";

/**
 * This package's version, the instrumentation scope's version, part of the bundle. Another package's tests that run
 * these sources without the build's value see `0.0.0-source`.
 */
export const VERSION: string =
  typeof __ONCEKEY_OPENTELEMETRY_VERSION__ === "string" ? __ONCEKEY_OPENTELEMETRY_VERSION__ : "0.0.0-source";
