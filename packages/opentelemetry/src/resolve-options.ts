import { ConfigError } from "@oncekey/core";
import { checkOptionNames, describeOptionValue, MAX_QUOTED_NAME_LENGTH } from "@oncekey/core/source";
import type { MeterProvider, TracerProvider } from "@opentelemetry/api";
import { DEFAULT_TENANT_ATTRIBUTE } from "./attributes/names.js";
import type { InstrumentOnceKeyOptions } from "./instrument-once-key-options.js";

/** {@link InstrumentOnceKeyOptions} checked, with the defaults filled in. */
export interface ResolvedOptions {
  readonly meterProvider: MeterProvider | undefined;
  readonly tracerProvider: TracerProvider | undefined;
  /** The tenant's attribute name, or `undefined` to leave tenants out. */
  readonly tenantAttribute: string | undefined;
  readonly fingerprintAttribute: boolean;
  readonly baseUrl: string;
  /** The base URL's path (`/v2`): the part of a request path before the resource, for span names. */
  readonly basePath: string;
  readonly enabled: boolean;
}

const WHERE = "instrumentOnceKey";
const OPTIONS = [
  "meterProvider",
  "tracerProvider",
  "tenantAttribute",
  "fingerprintAttribute",
  "baseUrl",
  "enabled",
] as const;
const DEFAULT_BASE_URL = "https://api.oncehub.com/v2";
/** An attribute name in the dotted lower-case style of OpenTelemetry's conventions. */
const ATTRIBUTE_NAME = /^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$/;

/**
 * Checks every option (an unknown or misspelt name, a value of the wrong kind: a `ConfigError` naming the option,
 * values described and never repeated) and fills the defaults.
 */
export function resolveOptions(options: InstrumentOnceKeyOptions | undefined): ResolvedOptions {
  checkOptionNames(options, OPTIONS, WHERE);
  const given: InstrumentOnceKeyOptions = options ?? {};
  const baseUrl = given.baseUrl ?? DEFAULT_BASE_URL;
  return {
    meterProvider: provider(given.meterProvider, "meterProvider", "getMeter"),
    tracerProvider: provider(given.tracerProvider, "tracerProvider", "getTracer"),
    tenantAttribute: tenantAttribute(given.tenantAttribute),
    fingerprintAttribute: flag(given.fingerprintAttribute, "fingerprintAttribute", true),
    baseUrl,
    basePath: httpsUrl(baseUrl).pathname.replace(/\/+$/, ""),
    enabled: flag(given.enabled, "enabled", true),
  };
}

function provider<T>(value: T | undefined, name: string, method: string): T | undefined {
  if (value === undefined) return undefined;
  if (
    typeof value === "object" &&
    value !== null &&
    typeof (value as Record<string, unknown>)[method] === "function"
  )
    return value;
  throw new ConfigError(
    `${WHERE}: ${name} must be an OpenTelemetry ${name === "meterProvider" ? "MeterProvider" : "TracerProvider"} ` +
      `(an object with ${method}()), got ${describeOptionValue(value)}.`,
    { variable: name },
  );
}

function flag(value: unknown, name: string, defaultValue: boolean): boolean {
  if (value === undefined) return defaultValue;
  if (typeof value === "boolean") return value;
  throw new ConfigError(`${WHERE}: ${name} must be true or false, got ${describeOptionValue(value)}.`, {
    variable: name,
  });
}

function tenantAttribute(value: unknown): string | undefined {
  if (value === undefined || value === false) return undefined;
  if (value === true) return DEFAULT_TENANT_ATTRIBUTE;
  // Every exported attribute name is printed wherever the telemetry goes: a part longer than a name needs could
  // be a key pasted into the wrong option, so it is refused (as core refuses to quote such names).
  if (
    typeof value === "string" &&
    ATTRIBUTE_NAME.test(value) &&
    value.split(".").every((part) => part.length <= MAX_QUOTED_NAME_LENGTH)
  )
    return value;
  throw new ConfigError(
    `${WHERE}: tenantAttribute must be true, false or an attribute name in the style of OpenTelemetry's ` +
      `(lower case, dotted parts of at most ${MAX_QUOTED_NAME_LENGTH} characters, e.g. ` +
      `"${DEFAULT_TENANT_ATTRIBUTE}"), got ${describeOptionValue(value)}.`,
    { variable: "tenantAttribute" },
  );
}

function httpsUrl(value: unknown): URL {
  const url = typeof value === "string" && URL.canParse(value) ? new URL(value) : undefined;
  if (
    url?.protocol === "https:" &&
    url.username === "" &&
    url.password === "" &&
    url.search === "" &&
    url.hash === ""
  )
    return url;
  throw new ConfigError(
    `${WHERE}: baseUrl must be the clients' https: base URL, without credentials, query or fragment ` +
      `(e.g. "${DEFAULT_BASE_URL}"), got ${describeOptionValue(value)}.`,
    { variable: "baseUrl" },
  );
}
