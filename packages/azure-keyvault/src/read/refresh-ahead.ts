import type { KeyChangeListener } from "@oncekey/core/source";

/** A secret whose latest version is watched. */
export interface WatchedSecret {
  readonly tenant: string | undefined;
  readonly secretName: string;
  /** The version last read. */
  readonly version: string | undefined;
}

/** What {@link createRefreshAhead} needs from the reader. */
export interface RefreshAheadOptions {
  readonly intervalMs: number;
  /** The secrets read so far. */
  readonly watched: () => WatchedSecret[];
  /** The latest version id of a secret (one vault GET). */
  readonly latestVersion: (secretName: string) => Promise<string | undefined>;
}

/**
 * Polls the latest version of every secret read so far and reports the tenants whose secret has a new version,
 * so `cached` reloads them before the old key is deleted at OnceHub.
 *
 * One poll runs at a time; a failed poll is ignored (the key in hand still works, and the next poll retries).
 * The timer does not keep the process alive.
 */
export function createRefreshAhead(options: RefreshAheadOptions): {
  watch(listener: KeyChangeListener): () => void;
  stop(): void;
} {
  const listeners = new Set<KeyChangeListener>();
  let timer: NodeJS.Timeout | undefined;
  let polling = false;

  const poll = async (): Promise<void> => {
    if (polling) return;
    polling = true;
    try {
      await Promise.all(
        options.watched().map(async (secret) => {
          const latest = await options.latestVersion(secret.secretName).catch(() => secret.version);
          if (latest === secret.version) return;
          for (const listener of listeners)
            listener(secret.tenant === undefined ? {} : { tenant: secret.tenant });
        }),
      );
    } finally {
      polling = false;
    }
  };

  const stop = (): void => {
    if (timer !== undefined) clearInterval(timer);
    timer = undefined;
  };

  return {
    watch(listener) {
      listeners.add(listener);
      timer ??= setInterval(() => void poll(), options.intervalMs).unref();
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) stop();
      };
    },
    stop() {
      listeners.clear();
      stop();
    },
  };
}
