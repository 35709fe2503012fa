import { readdirSync, readFileSync } from "node:fs";
import { basename, join, relative } from "node:path";
import { describe, expect, it } from "@jest/globals";
import { blocksOf, CODE_LANGUAGES, REPO } from "./support/markdown.js";

/**
 * Docs that other work is writing now and whose code blocks carry no markers yet: their blocks are neither run nor
 * marked illustrative. Remove a file from this list once each of its code blocks has a marker (and its runnable
 * ones a test here).
 */
const NOT_YET_MARKED: string[] = [];

/** The root README and every page of docs/, as paths relative to the repository. */
function docs(): string[] {
  const pages = readdirSync(join(REPO, "docs"))
    .filter((name) => name.endsWith(".md"))
    .map((name) => `docs/${name}`);
  return ["README.md", ...pages];
}

/** The test file that runs a doc's snippets: test/readme.test.ts for README.md, test/<page>.test.ts for docs/<page>.md. */
function testFileOf(doc: string): string {
  return join(__dirname, `${basename(doc, ".md").toLowerCase()}.test.ts`);
}

// Every code block of the README and the docs either runs in a test of this package or says why it cannot.
describe("the docs' code blocks", () => {
  const marked = docs().filter((doc) => !NOT_YET_MARKED.includes(doc));

  it.each(marked)("%s: each code block is marked run or not run", (doc) => {
    const unmarked = blocksOf(join(REPO, doc))
      .filter((block) => CODE_LANGUAGES.includes(block.language) && block.marker?.kind !== "run")
      .filter((block) => block.marker?.kind !== "not run")
      .map((block) => `${doc}:${block.line} (${block.language})`);
    expect(unmarked).toEqual([]);
  });

  it.each(marked)("%s: each block marked run is run by its test, and each output follows a run", (doc) => {
    const blocks = blocksOf(join(REPO, doc));
    const runs = blocks
      .filter((block) => block.marker?.kind === "run")
      .map((block) => block.marker?.value ?? "");
    const outputs = blocks
      .filter((block) => block.marker?.kind === "output")
      .map((block) => block.marker?.value);
    expect(new Set(runs).size).toBe(runs.length);
    expect(outputs.filter((id) => id === undefined || (!runs.includes(id) && !/^[A-Z_]+$/.test(id)))).toEqual(
      [],
    );
    if (runs.length === 0 && outputs.length === 0) return;
    const test = testFileOf(doc);
    const source = readFileSync(test, "utf8");
    const unclaimed = [...runs, ...outputs].filter((id) => !source.includes(`"${id}"`));
    expect({ test: relative(REPO, test), unclaimed }).toEqual({ test: relative(REPO, test), unclaimed: [] });
  });

  it("lists only docs that exist and still lack markers", () => {
    const existing = NOT_YET_MARKED.filter((doc) => docs().includes(doc));
    const stillUnmarked = existing.filter((doc) =>
      blocksOf(join(REPO, doc)).some(
        (block) => CODE_LANGUAGES.includes(block.language) && block.marker === undefined,
      ),
    );
    // A doc listed above that now marks all its blocks must leave the list, so the checks above cover it.
    expect(stillUnmarked).toEqual(existing);
  });
});
