import type { ReportWarning } from "../output/command-report.js";

/** OnceHub advises rotating keys at least every six months. */
const ROTATE_AFTER_MONTHS = 6;

/**
 * A `KEY_AGE` warning when `since` lies more than six months back.
 *
 * @param since - When the key was written, as its source knows it.
 * @param what - The subject of the sentence, e.g. "The key in file:/run/secrets/oncehub".
 * @param how - How the age is known, e.g. "the file was last written".
 * @param now - Today.
 * @example
 * ```ts
 * keyAgeWarning(stats.mtime, "The key in /run/secrets/oncehub", "the file was last written", new Date());
 * ```
 */
export function keyAgeWarning(since: Date, what: string, how: string, now: Date): ReportWarning | undefined {
  const limit = new Date(now);
  limit.setMonth(limit.getMonth() - ROTATE_AFTER_MONTHS);
  if (since >= limit) return undefined;
  const days = Math.floor((now.getTime() - since.getTime()) / 86_400_000);
  return {
    code: "KEY_AGE",
    message:
      `${what} is at least ${days} days old (${how} on ${since.toISOString().slice(0, 10)}). OnceHub advises ` +
      "rotating keys at least every six months: create a new key in OnceHub and run oncekey rotate.",
  };
}
