import { ConfigError } from "../../errors/config-error.js";
import type { OnceKeyEventListener } from "../../events/once-key-event.js";
import { checkOptionNames } from "../../options/check-option-names.js";
import { describeOptionValue } from "../../options/describe-option-value.js";
import { numberOption } from "../../options/number-option.js";
import type { PacingOptions } from "../transport-options.js";
import { ClientPacing } from "./client-pacing.js";
import { processPacingStore } from "./memory-pacing.js";
import type { PacingStore } from "./pacing-store.js";
import { windowLimit } from "./window-limit.js";

const WHERE = "OnceHubClient";
/** A day: a longer window is surely a mistake in units. */
const MAX_WINDOW_MS = 86_400_000;

/**
 * Checks the client's `pacing` option and builds its pacing, or returns undefined for `pacing: false`.
 *
 * @param pacing - The option as given.
 * @param onEvent - The client's listener, for the store's events.
 * @throws {@link ConfigError} naming the option.
 */
export function resolvePacing(
  pacing: PacingOptions | false | undefined,
  onEvent: OnceKeyEventListener | undefined,
): ClientPacing | undefined {
  if (pacing === false) return undefined;
  checkOptionNames(pacing, ["requestsPerSecond", "burst", "egress", "store"], WHERE, "pacing");
  const options: PacingOptions = (pacing as PacingOptions | undefined) ?? {};
  const perSecond =
    options.requestsPerSecond === false
      ? false
      : numberOption(
          options.requestsPerSecond,
          "pacing.requestsPerSecond",
          5,
          { min: 0, exclusiveMin: true, max: 1e6 },
          WHERE,
        );
  const burst = numberOption(options.burst, "pacing.burst", 5, { min: 1, max: 1e6, integer: true }, WHERE);
  const egress = options.egress;
  if (egress !== false) checkOptionNames(options.egress, ["requests", "windowMs"], WHERE, "pacing.egress");
  const requests =
    egress === false
      ? 0
      : numberOption(
          egress?.requests,
          "pacing.egress.requests",
          200,
          { min: 1, max: 1e9, integer: true },
          WHERE,
        );
  const windowMs =
    egress === false
      ? 0
      : numberOption(
          egress?.windowMs,
          "pacing.egress.windowMs",
          300_000,
          { min: 1, max: MAX_WINDOW_MS, unit: "ms" },
          WHERE,
        );
  return new ClientPacing(
    {
      store: checkStore(options.store) ?? processPacingStore,
      account: perSecond === false ? undefined : { kind: "rate", perSecond, burst },
      egress: egress === false ? undefined : { name: "egress", limit: windowLimit(requests, windowMs) },
    },
    onEvent,
  );
}

function checkStore(store: unknown): PacingStore | undefined {
  if (store === undefined) return undefined;
  if (
    typeof store !== "object" ||
    store === null ||
    typeof (store as PacingStore).take !== "function" ||
    typeof (store as PacingStore).name !== "string"
  ) {
    throw new ConfigError(
      `${WHERE}: pacing.store must be a pacing store (an object with name and take), such as redisPacing(…) from ` +
        `@oncekey/redis; got ${describeOptionValue(store)}. Leave it out for the in-process store.`,
      { variable: "pacing.store" },
    );
  }
  return store as PacingStore;
}
