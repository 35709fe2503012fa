import { ConfigError, OnceHubClient, type KeyProvider, type OnceHubClientOptions } from "@oncekey/core";
import { webhookVerifier, type TenantRequest, type WebhookVerifier } from "@oncekey/core/http";
import { checkOptionNames, describeOptionValue, functionOption } from "@oncekey/core/source";
import type { OnceHubModuleOptions } from "./once-hub-module-options.js";

/** The module's options, checked: how to build the client, the request's tenant, the webhook check. */
export interface ResolvedModuleOptions {
  /** Builds the module's client; called once, by the `OnceHubClient` provider. */
  readonly createClient: () => OnceHubClient;
  /** The `keys` provider passed in, which the module closes after the client (`sources` ones the client owns). */
  readonly keys: KeyProvider | undefined;
  readonly tenant: ((request: TenantRequest) => string | undefined) | undefined;
  readonly webhook: WebhookVerifier<TenantRequest> | undefined;
}

/** The client's own options, passed on as they are (the client checks their values). */
const CLIENT_OPTIONS = ["pacing", "retry", "timeouts", "rotation", "connections", "onEvent"] as const;
const MODULE_OPTIONS = ["tenant", "webhook"] as const;

/**
 * Checks `OnceHubModule`'s options at once, so a mistake stops the app at start-up with a `ConfigError` naming the
 * option: an unknown name, both or neither of `keys` and `sources`, a `tenant` that is not a function, a webhook
 * secret that is neither a string nor a function. The client's own option values are checked when it is built.
 */
export function resolveModuleOptions(
  options: OnceHubModuleOptions,
  factory: "forRoot" | "forRootAsync",
): ResolvedModuleOptions {
  const where = `OnceHubModule.${factory}${factory === "forRootAsync" ? "'s useFactory" : ""}`;
  if (typeof options !== "object" || options === null) {
    // A string here is often the key itself, passed where the options belong: described, never repeated.
    throw new ConfigError(`${where}: the options must be an object, got ${describeOptionValue(options)}.`, {
      variable: "options",
    });
  }
  // forRootAsync takes `global` beside useFactory: Nest must know it before the factory runs.
  const own = factory === "forRoot" ? ["global"] : [];
  const { keys, sources } = options as { keys?: unknown; sources?: unknown };
  const bySources = sources !== undefined;
  if (bySources === (keys !== undefined)) {
    throw new ConfigError(
      `${where}: pass either \`sources\` (key sources picked by ONCEKEY_SOURCE, e.g. [envSource, fileSource]) or ` +
        "`keys` (a KeyProvider such as fromFile(…)), not both or neither.",
      { variable: keys === undefined ? "sources" : "keys" },
    );
  }
  checkOptionNames(
    options as unknown,
    bySources
      ? ["sources", "pacingSources", "env", ...own, ...CLIENT_OPTIONS, ...MODULE_OPTIONS]
      : ["keys", "baseUrl", "ca", ...own, ...CLIENT_OPTIONS, ...MODULE_OPTIONS],
    `${where} with ${bySources ? "sources (baseUrl and ca come from ONCEHUB_BASE_URL and ONCEKEY_CA_FILE)" : "keys"}`,
  );
  if (bySources && !Array.isArray(sources)) {
    throw new ConfigError(
      `${where}: sources must be an array of key sources, e.g. [envSource, fileSource].`,
      {
        variable: "sources",
      },
    );
  }
  const tenant = functionOption<(request: TenantRequest) => string | undefined>(
    options.tenant,
    "tenant",
    "returns the request's tenant id",
    where,
  );
  const webhookOptions = options.webhook;
  checkOptionNames(webhookOptions as unknown, ["secret", "toleranceSeconds"], where, "webhook");
  const webhook =
    webhookOptions === undefined
      ? undefined
      : webhookVerifier<TenantRequest>(webhookOptions, `${where} webhook`);

  const {
    tenant: _tenant,
    webhook: _webhook,
    global: _global,
    ...rest
  } = options as OnceHubModuleOptions & {
    global?: unknown;
  };
  // `tenant` is the request's, never the client's fixed tenant: it is not passed on.
  const createClient = bySources
    ? () => OnceHubClient.fromEnvironment(rest as Parameters<typeof OnceHubClient.fromEnvironment>[0])
    : () => new OnceHubClient({ ...(rest as Omit<OnceHubClientOptions, "keys">), keys: keys as KeyProvider });
  return { createClient, keys: bySources ? undefined : (keys as KeyProvider), tenant, webhook };
}
