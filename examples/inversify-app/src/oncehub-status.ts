import type { KeyProvider, OnceHubClient, OnceKeyConfig } from "@oncekey/core";
import { ONCEKEY } from "@oncekey/inversify";
import { inject, injectable } from "inversify";

/** What the app reports: where its key came from (never the key), and the account OnceHub says it belongs to. */
export interface StatusReport {
  /** `ONCEKEY_SOURCE` as configured, e.g. `file,env`. */
  readonly sources: string;
  /** The source that served the key, e.g. `env:ONCEHUB_API_KEY`. */
  readonly source: string;
  readonly fingerprint: string;
  readonly account: string;
}

/** Checks the app's OnceHub connection; knows nothing of where the key is kept. */
@injectable()
export class OnceHubStatus {
  constructor(
    @inject(ONCEKEY.Client) private readonly client: OnceHubClient,
    @inject(ONCEKEY.KeyProvider) private readonly keys: KeyProvider,
    @inject(ONCEKEY.Config) private readonly config: OnceKeyConfig,
  ) {}

  async check(): Promise<StatusReport> {
    const { account } = await this.client.test();
    // The cached key the client just used: no second read of the source.
    const key = await this.keys.getKey();
    return {
      sources: this.config.sources.join(","),
      source: key.source,
      fingerprint: key.fingerprint,
      account,
    };
  }
}
