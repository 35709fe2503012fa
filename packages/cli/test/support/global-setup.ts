import { statSync } from "node:fs";
import { readdir } from "node:fs/promises";
import { join } from "node:path";

const root = join(__dirname, "..", "..");

async function newestSource(directory: string): Promise<number> {
  let newest = 0;
  for (const entry of await readdir(directory, { withFileTypes: true })) {
    const path = join(directory, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? await newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/**
 * The tests run the built command as a child process (`pnpm test` builds it first, see turbo.json): refuse to
 * test a build that is missing or older than the sources, which would test something else than the code.
 */
export default async function globalSetup(): Promise<void> {
  const bin = join(root, "dist", "bin", "oncekey.js");
  let built: number;
  try {
    built = statSync(bin).mtimeMs;
  } catch {
    throw new Error(
      "dist/bin/oncekey.js is missing: run pnpm --filter @oncekey/cli build (pnpm test builds it).",
    );
  }
  if ((await newestSource(join(root, "src"))) > built) {
    throw new Error("dist/ is older than src/: run pnpm --filter @oncekey/cli build before these tests.");
  }
}
