// OpenTelemetry metrics and spans from oncekey's diagnostics_channel events.
export { instrumentOnceKey } from "./instrument-once-key.js";
export type { InstrumentOnceKeyOptions } from "./instrument-once-key-options.js";
export { OnceKeyInstrumentation } from "./once-key-instrumentation.js";
