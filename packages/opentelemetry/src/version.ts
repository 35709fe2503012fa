/** The package's version: set by the build (tsup.config.ts) and, for the sources, by jest.config.cjs. */
declare const __ONCEKEY_OPENTELEMETRY_VERSION__: string;

/** This package's name, the instrumentation scope of its meter and tracer. */
export const PACKAGE_NAME = "@oncekey/opentelemetry";

/** This package's version, the instrumentation scope's version, part of the bundle. */
export const VERSION: string = __ONCEKEY_OPENTELEMETRY_VERSION__;
