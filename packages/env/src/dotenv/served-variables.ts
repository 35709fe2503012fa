import { createHash } from "node:crypto";
import { ApiKey } from "@oncekey/core";
import { findVariable, type DotenvSnapshot, type FoundVariable } from "./dotenv-files.js";

/** What a variable held when it was last served or announced: a digest, never the key. */
interface Served {
  readonly tenant: string | undefined;
  /** Digest of the file and the value; `undefined` once the variable was announced as gone. */
  identity: string | undefined;
}

/** The outcome of comparing a new snapshot with what was served. */
export interface ServedChanges {
  /** Tenants whose key changed; `undefined` stands for the key of no tenant. */
  readonly changed: readonly (string | undefined)[];
  /** Some variable looks gone or broken, but too recently to tell from a rewrite in progress. */
  readonly unsettled: boolean;
}

/**
 * Remembers which variables a provider served, and what they held, so the watcher announces a change only for
 * the tenants whose key really changed, and a briefly missing or half-written file is not mistaken for removal.
 * Holds one entry per variable served, which the files bound.
 */
export class ServedVariables {
  readonly #served = new Map<string, Served>();

  /** Whether `variable` was ever served: only then can a missing key be a rewrite in progress. */
  has(variable: string): boolean {
    return this.#served.has(variable);
  }

  /** Records that `variable` was served to `tenant` from `found`. */
  record(variable: string, tenant: string | undefined, found: FoundVariable): void {
    this.#served.set(variable, { tenant, identity: identityOf(found) });
  }

  /**
   * Compares `snapshot` with what was served and records the changes as announced. A variable that vanished or
   * became invalid less than `graceMs` after the files changed is left alone and reported as `unsettled`.
   */
  changesIn(snapshot: DotenvSnapshot, now: number, graceMs: number): ServedChanges {
    const changed: (string | undefined)[] = [];
    let unsettled = false;
    for (const [variable, served] of this.#served) {
      const found = findVariable(snapshot, variable);
      const identity = found !== undefined && isValidKey(found.raw) ? identityOf(found) : undefined;
      if (identity === served.identity) continue;
      if (identity === undefined && now - snapshot.since < graceMs) {
        unsettled = true;
        continue;
      }
      served.identity = identity;
      changed.push(served.tenant);
    }
    return { changed, unsettled };
  }
}

function identityOf(found: FoundVariable): string {
  return createHash("sha256")
    .update(found.file.path.absolute)
    .update("\u0000")
    .update(found.raw)
    .digest("hex");
}

function isValidKey(raw: string): boolean {
  try {
    ApiKey.from(raw);
    return true;
  } catch {
    return false;
  }
}
