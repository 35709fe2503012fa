import type { OnceKeyClientOptions } from "./once-key-client-options.js";

/**
 * The options of `OnceHubClient` that the module hands through as they are: every one but `keys`, `baseUrl` and
 * `ca`, which `fromEnvironment` reads from the environment and `fromOptions` takes beside these.
 */
export const CLIENT_OPTION_NAMES = [
  "tenant",
  "pacing",
  "retry",
  "timeouts",
  "rotation",
  "connections",
  "onEvent",
] as const satisfies readonly (keyof OnceKeyClientOptions)[];

// A client option that core adds and this list lacks would be refused as unknown: make the type check say so.
type Unlisted = Exclude<keyof OnceKeyClientOptions, (typeof CLIENT_OPTION_NAMES)[number]>;
const everyOptionListed: [Unlisted] extends [never] ? true : Unlisted = true;
void everyOptionListed;
