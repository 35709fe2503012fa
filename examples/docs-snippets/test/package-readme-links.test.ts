import { execFile } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative, sep } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { isRelative, linksOf, REPO } from "./support/markdown.js";
import { target } from "./support/resolve-link.js";

const run = promisify(execFile);

/** The folders of the published packages (not private). */
function publishedPackages(): string[] {
  return readdirSync(join(REPO, "packages")).filter((dir) => {
    try {
      const manifest = JSON.parse(readFileSync(join(REPO, "packages", dir, "package.json"), "utf8")) as {
        private?: boolean;
      };
      return manifest.private !== true;
    } catch {
      return false;
    }
  });
}

// A package README is read on the registry's page and in node_modules, where only the packed files exist: every
// relative link must lead to a file inside the tarball `pnpm pack` makes (never ../../docs), and every anchor to
// one of its headings.
describe("links in the packed package READMEs", () => {
  let out: string;
  beforeAll(async () => {
    out = await mkdtemp(join(tmpdir(), "oncekey-pack-"));
  });
  afterAll(async () => {
    await rm(out, { recursive: true, force: true });
  });

  it.each(publishedPackages())(
    "@oncekey/%s: every relative link of README.md is in the tarball",
    async (dir) => {
      const root = join(REPO, "packages", dir);
      const destination = join(out, dir);
      await run("pnpm", ["pack", "--pack-destination", destination], { cwd: root });
      const [filename = ""] = readdirSync(destination).filter((name) => name.endsWith(".tgz"));
      const tarball = join(destination, filename);
      const listing = await run("tar", ["-tzf", tarball]);
      const files = new Set(listing.stdout.split("\n").map((line) => line.replace(/^package\//, "")));
      expect(files.has("README.md")).toBe(true);

      const readme = join(root, "README.md");
      const { links, anchors } = linksOf(readme);
      const broken = links.flatMap((link) => {
        if (link.href.startsWith("#")) {
          return anchors.has(link.href.slice(1)) ? [] : [`${link.href} (line ${link.line}): no such heading`];
        }
        if (!isRelative(link.href)) return [];
        const path = relative(root, target(link).path).split(sep).join("/");
        const inTarball = files.has(path) || [...files].some((file) => file.startsWith(`${path}/`));
        return inTarball ? [] : [`${link.href} (line ${link.line}): ${path} is not in ${filename}`];
      });
      expect(broken).toEqual([]);
    },
  );
});
