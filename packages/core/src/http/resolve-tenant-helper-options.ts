import { ConfigError } from "../errors/config-error.js";
import { InvalidTenantError } from "../errors/invalid-tenant-error.js";
import { checkOptionNames } from "../options/check-option-names.js";
import { describeOptionValue } from "../options/describe-option-value.js";
import type { TenantHelperOptions } from "./tenant-request.js";

/** Checks a tenant helper's options and returns what to do when a request names no tenant. */
export function resolveTenantHelperOptions(
  options: TenantHelperOptions | undefined,
  where: string,
): (missing: string) => undefined {
  checkOptionNames(options as unknown, ["required"], where);
  const required = options?.required ?? true;
  if (typeof required !== "boolean") {
    throw new ConfigError(`${where}: required must be true or false, got ${describeOptionValue(required)}.`, {
      variable: "required",
    });
  }
  return (missing) => {
    if (required) throw new InvalidTenantError(`The request names no tenant: ${missing}.`);
    return undefined;
  };
}
