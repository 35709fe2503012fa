import { ConfigError } from "../errors/config-error.js";
import { InsecureTransportError } from "../errors/insecure-transport-error.js";
import { describeConfigValue } from "./quotable-config-value.js";

/** The OnceHub API base URL when neither `baseUrl` nor `ONCEHUB_BASE_URL` is given. */
export const DEFAULT_BASE_URL = "https://api.oncehub.com/v2";

/** A base URL, checked. */
export interface BaseUrl {
  /** `https://host:port`: the only origin the key is sent to. */
  readonly origin: string;
  /** The path without a trailing slash, e.g. `/v2`. */
  readonly path: string;
  /** The whole base URL without a trailing slash. */
  readonly href: string;
}

/**
 * Checks an API base URL, from the `baseUrl` option or the `ONCEHUB_BASE_URL` variable: `https:` only (an
 * `http:` URL is an {@link InsecureTransportError} for the option, a {@link ConfigError} for the variable), no
 * credentials, query or fragment. Nothing of a value that is not a URL is repeated: a key pasted into the wrong
 * setting must not reach a log.
 *
 * @param raw - The value as given.
 * @param setting - Where it came from, named in messages and in `ConfigError.variable`.
 * @example
 * ```ts
 * parseBaseUrl("https://api.oncehub.com/v2/", "baseUrl"); // { origin: "https://api.oncehub.com", path: "/v2", … }
 * ```
 */
export function parseBaseUrl(raw: unknown, setting: "baseUrl" | "ONCEHUB_BASE_URL"): BaseUrl {
  const variable = setting === "ONCEHUB_BASE_URL";
  const fail = (message: string): never => {
    throw new ConfigError(message, { variable: setting });
  };
  if (typeof raw !== "string") {
    fail(`${setting} must be a URL string such as ${DEFAULT_BASE_URL}, got ${describeConfigValue(raw)}.`);
  }
  let url: URL | undefined;
  try {
    url = new URL(raw as string);
  } catch {
    // Not repeated, nor the scheme below: a key passed in the wrong setting must not reach a log.
    fail(
      `${variable ? setting : `${setting} (${describeConfigValue(raw, "url")})`} is not a URL. Use the API base, ` +
        `e.g. ${DEFAULT_BASE_URL}.`,
    );
  }
  const parsed = url as URL;
  if (parsed.protocol !== "https:") {
    const caHint = variable ? "set ONCEKEY_CA_FILE" : "pass `ca`";
    // Only http is named: the part of a key before a colon would parse as a scheme.
    const message =
      parsed.protocol === "http:"
        ? `${setting} uses http, but the API key may only travel over https. Use an https:// URL (for a private ` +
          `CA, ${caHint}).`
        : `${setting} is not an https:// URL. Use the API base, e.g. ${DEFAULT_BASE_URL}.`;
    if (variable) fail(message);
    throw new InsecureTransportError(
      `${message} No connection was opened.`,
      parsed.protocol === "http:" ? { source: parsed.origin } : {},
    );
  }
  if (parsed.username !== "" || parsed.password !== "" || parsed.search !== "" || parsed.hash !== "") {
    fail(
      `${setting} must not hold credentials, a query or a fragment. Use the bare API base, e.g. ${DEFAULT_BASE_URL}.`,
    );
  }
  const href = parsed.href.replace(/\/+$/, "");
  return { origin: parsed.origin, path: parsed.pathname.replace(/\/+$/, ""), href };
}
