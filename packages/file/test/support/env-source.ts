import { staticKey, type KeySource } from "@oncekey/core";

/** A stand-in for `@oncekey/env`'s `envSource` (this package does not depend on it): the key of `ONCEHUB_API_KEY`. */
export const envSource: KeySource = {
  name: "env",
  fromConfig: (config) => staticKey(config.env.ONCEHUB_API_KEY ?? "unset", { source: "env:ONCEHUB_API_KEY" }),
};
