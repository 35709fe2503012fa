import { stat } from "node:fs/promises";
import type { ReportWarning } from "../output/command-report.js";
import { isTrackedByGit } from "./git-tracked.js";
import { keyAgeWarning } from "./key-age.js";

/** A file that holds a key, for {@link fileWarnings}. */
export interface KeyHoldingFile {
  /** The absolute path. */
  readonly path: string;
  /** The path as output may show it. */
  readonly shown: string;
  /** `key file` or `.env file`, for messages. */
  readonly kind: "key file" | ".env file";
}

function readers(mode: number): string {
  const group = (mode & 0o040) !== 0;
  const others = (mode & 0o004) !== 0;
  return group && others ? "group and others" : group ? "its group" : "others";
}

/**
 * What weakens a file that holds a key: readable by group or others (`FILE_PERMISSIONS`), a `.env` file tracked
 * by git (`TRACKED_BY_GIT`), and a key older than six months (`KEY_AGE`, from the file's modification time: a
 * `.env` file changed later than its key, so its time is a lower bound of the key's age).
 *
 * @param file - The file.
 * @param now - Today.
 * @example
 * ```ts
 * const warnings = await fileWarnings({ path: "/srv/app/.env", shown: ".env", kind: ".env file" }, new Date());
 * ```
 */
export async function fileWarnings(file: KeyHoldingFile, now: Date): Promise<ReportWarning[]> {
  let stats;
  try {
    stats = await stat(file.path);
  } catch {
    return [];
  }
  const warnings: ReportWarning[] = [];
  if (process.platform !== "win32" && (stats.mode & 0o044) !== 0) {
    const octal = `0${(stats.mode & 0o777).toString(8).padStart(3, "0")}`;
    warnings.push({
      code: "FILE_PERMISSIONS",
      message:
        `The ${file.kind} ${file.shown} holds the API key and is readable by ${readers(stats.mode)} (mode ` +
        `${octal}). Run chmod 600 on it (on a Kubernetes secret volume, set defaultMode: 0400).`,
    });
  }
  if (file.kind === ".env file" && (await isTrackedByGit(file.path)) === true) {
    warnings.push({
      code: "TRACKED_BY_GIT",
      message:
        `The .env file ${file.shown} holds the API key and is tracked by git, so the key is in the repository's ` +
        "history. Run git rm --cached on it, add it to .gitignore, and rotate the key (oncekey rotate).",
    });
  }
  const age = keyAgeWarning(
    stats.mtime,
    `The key in ${file.shown}`,
    file.kind === "key file" ? "the file was last written" : "the .env file was last written",
    now,
  );
  if (age !== undefined) warnings.push(age);
  return warnings;
}
