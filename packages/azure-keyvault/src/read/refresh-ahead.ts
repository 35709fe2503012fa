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
  /** The latest version id of a secret (one vault GET), given up when `signal` aborts. */
  readonly latestVersion: (secretName: string, signal: AbortSignal) => Promise<string | undefined>;
}

/**
 * Polls the latest version of every secret read so far and reports the tenants whose secret has a new version,
 * so `cached` reloads them before the old key is deleted at OnceHub.
 *
 * One poll runs at a time; a failed poll is ignored (the key in hand still works, and the next poll retries), and
 * a listener that throws stops neither the others nor the poll. The timer does not keep the process alive, and
 * `stop()` clears it and gives up the reads of a poll under way: nothing it started is left to reject unheard.
 */
export function createRefreshAhead(options: RefreshAheadOptions): {
  watch(listener: KeyChangeListener): () => void;
  stop(): void;
} {
  const listeners = new Set<KeyChangeListener>();
  let timer: NodeJS.Timeout | undefined;
  let polling: AbortController | undefined;

  const announce = (tenant: string | undefined): void => {
    for (const listener of [...listeners]) {
      try {
        listener(tenant === undefined ? {} : { tenant });
      } catch {
        // A listener must not stop the others, nor the poll.
      }
    }
  };

  const poll = async (): Promise<void> => {
    if (polling !== undefined) return;
    const abort = new AbortController();
    polling = abort;
    try {
      await Promise.all(
        options.watched().map(async (secret) => {
          const latest = await options
            .latestVersion(secret.secretName, abort.signal)
            .catch(() => secret.version);
          if (latest !== secret.version && !abort.signal.aborted) announce(secret.tenant);
        }),
      );
    } finally {
      if (polling === abort) polling = undefined;
    }
  };

  const stop = (): void => {
    if (timer !== undefined) clearInterval(timer);
    timer = undefined;
    polling?.abort();
    polling = undefined;
  };

  return {
    watch(listener) {
      listeners.add(listener);
      timer ??= setInterval(() => {
        poll().catch(() => undefined);
      }, options.intervalMs).unref();
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
