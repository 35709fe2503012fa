import { isAbsolute, relative, sep } from "node:path";

/**
 * Tells whether `child` lies strictly inside `directory`, comparing absolute, normalised paths.
 *
 * Kubernetes keeps a secret's files under `..data` and `..<timestamp>` inside the mounted directory, so a
 * relative path that merely starts with two dots is inside; only a `..` segment leads out.
 */
export function isWithin(child: string, directory: string): boolean {
  const rel = relative(directory, child);
  if (rel === "" || isAbsolute(rel)) return false;
  return rel !== ".." && !rel.startsWith(`..${sep}`);
}
