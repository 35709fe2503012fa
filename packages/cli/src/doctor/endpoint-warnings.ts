import type { OnceKeyConfig } from "@oncekey/core";
import { shownPath, shownUrl } from "../config/shown-value.js";
import type { ReportWarning } from "../output/command-report.js";

/** OnceHub's API origin. */
const ONCEHUB_ORIGIN = "https://api.oncehub.com";

/**
 * Warnings about where the key is sent: a base URL that is not OnceHub's (`BASE_URL`: right for the sandbox or a
 * proxy, wrong in production) and an extra trusted CA (`CA_FILE`: whoever holds that CA can read the key in
 * transit).
 *
 * @param config - From `loadConfig`.
 * @example
 * ```ts
 * endpointWarnings(loadConfig(process.env)); // [] with the defaults
 * ```
 */
export function endpointWarnings(config: OnceKeyConfig): ReportWarning[] {
  const warnings: ReportWarning[] = [];
  if (new URL(config.baseUrl).origin !== ONCEHUB_ORIGIN) {
    warnings.push({
      code: "BASE_URL",
      message:
        `ONCEHUB_BASE_URL sends the key to ${shownUrl(config.baseUrl)}, not to OnceHub (${ONCEHUB_ORIGIN}/v2). ` +
        "Right for the sandbox or a proxy you run; in production, unset it.",
    });
  }
  if (config.caFile !== undefined) {
    warnings.push({
      code: "CA_FILE",
      message:
        `ONCEKEY_CA_FILE (${shownPath(config.caFile, "ONCEKEY_CA_FILE")}) adds a CA that the client trusts for ` +
        "OnceHub: whoever holds it can read the key in transit. Right for the sandbox or a TLS-inspecting " +
        "proxy you run; in production, make sure you know who issued it.",
    });
  }
  return warnings;
}
