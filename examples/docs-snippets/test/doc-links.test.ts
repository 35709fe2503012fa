import { readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "@jest/globals";
import { REPO } from "./support/markdown.js";
import { brokenLinksOf } from "./support/resolve-link.js";

/** Every Markdown file a reader of the repository opens: the README, docs/, each package's and example's README. */
function markdownFiles(): string[] {
  const readmes = (folder: string) =>
    readdirSync(join(REPO, folder), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => join(folder, entry.name, "README.md"))
      .filter((file) => {
        try {
          return readdirSync(join(REPO, file, "..")).includes("README.md");
        } catch {
          return false;
        }
      });
  const pages = readdirSync(join(REPO, "docs"))
    .filter((name) => name.endsWith(".md"))
    .map((name) => join("docs", name));
  return ["README.md", ...pages, ...readmes("packages"), ...readmes("examples")];
}

// Links as a reader of the repository follows them; the links of the package READMEs must also work in the
// packed package: see package-readme-links.test.ts.
describe("links in the repository's Markdown", () => {
  it.each(markdownFiles())("%s: every relative link and anchor resolves", (file) => {
    expect(brokenLinksOf(join(REPO, file), (path) => relative(REPO, path))).toEqual([]);
  });
});
