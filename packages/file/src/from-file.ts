import { cached, ApiKey, type KeyProvider } from "@oncekey/core";
import {
  checkSourceOptions,
  ConfiguredValue,
  describeOptionValue,
  EventHub,
  PermissionPolicy,
  RewriteGrace,
  WatchFallbackWarning,
  type KeyChangeListener,
} from "@oncekey/core/source";
import { LRUCache } from "lru-cache";
import { FROM_FILE_OPTIONS, fromFileSettings, type FromFileOptions } from "./from-file-options.js";
import { KeyPathTemplate, type KeyFileTarget } from "./path/key-path-template.js";
import { TenantSpelling } from "./path/tenant-spelling.js";
import { readSettledKeyFile, type SettledRead } from "./read/read-settled-key-file.js";
import { KeyFileWatcher } from "./watch/key-file-watcher.js";

const WHERE = "fromFile";

/**
 * Reads the OnceHub API key from a file, such as a Docker or Kubernetes secret, and follows it as it rotates.
 *
 * - The file holds the key alone; one trailing newline is dropped. A BOM, CR LF, spaces or anything else that
 *   cannot be in a key is a `KeyFormatError` saying what and where, never the key. A file larger than `maxBytes` is
 *   refused without being read.
 * - An absent file is a `KeyNotFoundError`, so `chain(fromFile(…), fromEnv())` (or `ONCEKEY_SOURCE=file,env`)
 *   moves on; a file that cannot be read is a `KeySourceError`.
 * - `{tenant}` in the path gives each tenant its own file. The tenant id is validated before any I/O, and the file,
 *   symbolic links resolved, must lie inside the directory that holds `{tenant}`: a link out is refused before the
 *   file is opened. Kubernetes' own links (`key -> ..data/key`) stay inside and work. A path without `{tenant}`
 *   holds a key that belongs to no tenant: a request for a tenant is "not found", as with `fromEnv`.
 * - A file readable by group or others is reported once (`key:warning`), refused, or ignored (`permissions`).
 * - With `watch` (the default), the file's directory is watched: Kubernetes' atomic `..data` swap, Docker
 *   secrets rewritten, editors' write-and-rename and in-place rewrites are noticed, debounced, and announced only
 *   when the content's hash changed, so the next `getKey` reads the new key. A file read while it is being
 *   rewritten is read again once it settles: an empty or half-written key is never served. Watches start with
 *   the first `getKey` and end with `close()`; they never keep the process alive.
 * - A file that served a key and then goes missing, empty or broken is taken for a rewrite in progress for
 *   `rewriteGraceMs`: the last good key is served meanwhile, as `fromDotenv` does.
 * - The `key:warning` events reach `onEvent` and a client's `onEvent` alike.
 *
 * The provider is already `cached` (single-flight per tenant, stale-if-error …; see `cache`).
 *
 * @param options - {@link FromFileOptions}; `path` is required.
 * @returns A cached provider named `file` whose keys have the source `file:<path>`, the tenant filled in; a
 *   relative path over 20 characters is not repeated (it could be a key pasted there): `file:<the path option>`,
 *   and messages say it is relative and to which directory.
 * @throws `ConfigError` naming the option for a bad or unknown option, at once.
 * @example
 * ```ts
 * // Docker secret (or a Kubernetes secret volume mounted at /run/secrets).
 * const keys = fromFile({ path: "/run/secrets/oncehub_api_key" });
 * const client = new OnceHubClient({ keys });
 *
 * // One file per tenant, refusing files that others may read.
 * const tenantKeys = fromFile({ path: "/etc/oncehub/tenants/{tenant}", permissions: "refuse" });
 * const key = await tenantKeys.getKey({ tenant: "acme" }); // reads /etc/oncehub/tenants/acme
 * ```
 */
export function fromFile(options: FromFileOptions): KeyProvider {
  const originOf = checkSourceOptions(options, {
    where: WHERE,
    known: FROM_FILE_OPTIONS,
    configurable: ["path", "permissions"],
  });
  const path = options?.path;
  const value = new ConfiguredValue(typeof path === "string" ? path : "", "path", originOf("path"));
  if (typeof path !== "string") {
    throw value.error(
      `must be the key file's path, e.g. "/run/secrets/oncehub", got ${describeOptionValue(path)}.`,
    );
  }
  const settings = fromFileSettings(options);
  const template = new KeyPathTemplate(value);
  const permissionsOrigin = originOf("permissions");
  const events = new EventHub(options.onEvent);
  const policy = new PermissionPolicy({
    permissions: settings.permissions,
    events,
    setting: permissionsOrigin.variable ?? "the permissions option",
    maxFiles: settings.maxFiles,
  });
  const seen = new LRUCache<string, true>({ max: settings.maxFiles });
  const spelling = new TenantSpelling();
  const grace = new RewriteGrace(settings.rewriteGraceMs, settings.maxFiles);
  const fallback = new WatchFallbackWarning(events, settings.pollIntervalMs);
  const listeners = new Set<KeyChangeListener>();
  let watcher: KeyFileWatcher | undefined;
  let closed = false;

  const read = (target: KeyFileTarget, seenBefore: boolean, background?: AbortSignal): Promise<SettledRead> =>
    readSettledKeyFile(target, {
      maxBytes: settings.maxBytes,
      permissions: policy,
      settleMs: settings.settleMs,
      seenBefore,
      ...(background === undefined ? {} : { background: { signal: background } }),
    });

  const announce = (target: KeyFileTarget): void => {
    const change = target.tenant === undefined ? {} : { tenant: target.tenant };
    for (const listener of [...listeners]) {
      try {
        listener(change);
      } catch {
        // A listener's failure must not stop the others from hearing of the change.
      }
    }
  };

  const startWatcher = (): KeyFileWatcher =>
    (watcher ??= new KeyFileWatcher({
      mode: settings.watchMode,
      pollIntervalMs: settings.pollIntervalMs,
      debounceMs: settings.debounceMs,
      maxFiles: settings.maxFiles,
      read: (target, signal) => read(target, true, signal),
      onChange: announce,
      onFallback: (target, reason) =>
        fallback.report(
          {
            directory: target.quoted
              ? `the directory of ${target.path}`
              : `the directory of ${target.phrase}`,
            source: target.source,
            tenant: target.tenant,
          },
          reason,
        ),
    }));

  const provider: KeyProvider = {
    name: "file",
    async getKey(request) {
      const target = template.resolve(request?.tenant);
      const following = settings.watch && !closed && listeners.size > 0 ? startWatcher() : undefined;
      await spelling.check(target);
      const seq = following?.begin() ?? 0;
      try {
        const content = await read(target, seen.has(target.path));
        seen.set(target.path, true);
        if (following !== undefined && !closed) following.record(target, seq, content);
        const key = ApiKey.from(content.bytes.toString("utf8"), { source: target.source });
        grace.served(target.path);
        return key;
      } catch (error) {
        throw grace.excuse(target.path, error, {
          what: capitalized(target.phrase),
          source: target.source,
        });
      }
    },
    subscribe: (listener) => events.subscribe(listener),
    async close() {
      closed = true;
      listeners.clear();
      watcher?.close();
      watcher = undefined;
    },
  };
  if (settings.watch) {
    provider.watch = (listener: KeyChangeListener): (() => void) => {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    };
  }
  const onEvent = options.onEvent;
  return cached(provider, { ...options.cache, ...(onEvent === undefined ? {} : { onEvent }) });
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
