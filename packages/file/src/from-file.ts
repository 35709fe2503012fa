import { ApiKey, cached, type KeyProvider, type OnceKeyEventListener } from "@oncekey/core";
import { emitEvent, type KeyChangeListener } from "@oncekey/core/source";
import { BoundedSet } from "./bounded-set.js";
import { fromFileSettings, type FromFileOptions } from "./from-file-options.js";
import { KeyPathTemplate, type KeyFileTarget } from "./path/key-path-template.js";
import { TenantSpelling } from "./path/tenant-spelling.js";
import { permissiveMessage } from "./read/check-permissions.js";
import { readSettledKeyFile, type SettledRead } from "./read/read-settled-key-file.js";
import { RewriteGrace } from "./read/rewrite-grace.js";
import { KeyFileWatcher } from "./watch/key-file-watcher.js";

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
 *
 * The provider is already `cached` (single-flight per tenant, stale-if-error …; see `cache`).
 *
 * @param options - {@link FromFileOptions}; `path` is required.
 * @returns A cached provider named `file` whose keys have the source `file:<path>`, the tenant filled in; a
 *   relative path over 20 characters is not repeated (it could be a key pasted there): `file:<the path option>`.
 * @throws TypeError or RangeError for a bad option, at once.
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
  return fileProvider(options, "the path option");
}

/**
 * {@link fromFile}, told which setting gave the path, so that a path that could be a key pasted there (relative,
 * over 20 characters) is shown as that setting: source `file:<ONCEKEY_FILE_PATH>`.
 *
 * @param options - {@link FromFileOptions}.
 * @param setting - `ONCEKEY_FILE_PATH` for `fileSource`, the option for `fromFile`.
 * @example
 * ```ts
 * const keys = fileProvider({ path: "/run/secrets/oncehub" }, "ONCEKEY_FILE_PATH");
 * ```
 */
export function fileProvider(options: FromFileOptions, setting: string): KeyProvider {
  const settings = fromFileSettings(options);
  const template = new KeyPathTemplate(options.path, setting);
  const onEvent = options.onEvent;
  const warned = new BoundedSet<string>(settings.maxFiles);
  const seen = new BoundedSet<string>(settings.maxFiles);
  const spelling = new TenantSpelling();
  const grace = new RewriteGrace(settings.rewriteGraceMs, settings.maxFiles);
  const listeners = new Set<KeyChangeListener>();
  let watcher: KeyFileWatcher | undefined;
  let fallbackReported = false;
  let closed = false;

  const warn = (target: KeyFileTarget, code: string, message: string): void => {
    emitEvent(
      {
        type: "key:warning",
        time: Date.now(),
        ...(target.tenant === undefined ? {} : { tenant: target.tenant }),
        source: target.source,
        code,
        message,
      },
      onEvent,
    );
  };

  const read = (target: KeyFileTarget, seenBefore: boolean, background?: AbortSignal): Promise<SettledRead> =>
    readSettledKeyFile(target, {
      maxBytes: settings.maxBytes,
      permissions: settings.permissions,
      settleMs: settings.settleMs,
      seenBefore,
      ...(background === undefined ? {} : { background: { signal: background } }),
      onPermissive: (file, mode) => {
        if (!warned.has(file.path)) {
          warned.add(file.path);
          warn(file, "FILE_PERMISSIONS", permissiveMessage(file, mode));
        }
      },
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
      onFallback: (target, reason) => {
        // Once per provider: with thousands of tenants' directories, one inotify limit would otherwise mean
        // thousands of warnings.
        if (fallbackReported) return;
        fallbackReported = true;
        warn(
          target,
          "WATCH_FALLBACK",
          `Cannot watch the directory of ${target.display} for changes (${reason}); polling it every ` +
            `${settings.pollIntervalMs} ms instead, as any other directory that cannot be watched (without ` +
            'another warning). Raise fs.inotify.max_user_watches or set watchMode: "poll".',
        );
      },
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
        seen.add(target.path);
        if (following !== undefined && !closed) following.record(target, seq, content);
        const key = ApiKey.from(content.bytes.toString("utf8"), { source: target.source });
        grace.served(target);
        return key;
      } catch (error) {
        throw grace.excuse(target, error);
      }
    },
    ...(settings.watch
      ? {
          watch(listener: KeyChangeListener): () => void {
            listeners.add(listener);
            return () => void listeners.delete(listener);
          },
        }
      : {}),
    async close() {
      closed = true;
      listeners.clear();
      watcher?.close();
      watcher = undefined;
    },
  };
  return cached(provider, { ...options.cache, ...eventOption(onEvent) });
}

function eventOption(onEvent: OnceKeyEventListener | undefined): { onEvent?: OnceKeyEventListener } {
  return onEvent === undefined ? {} : { onEvent };
}
