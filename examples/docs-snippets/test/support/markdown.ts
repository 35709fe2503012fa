import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import MarkdownIt from "markdown-it";

/** The repository's root. */
export const REPO = resolve(__dirname, "../../../..");

/** The languages whose blocks are code a reader may run: each needs a marker. */
export const CODE_LANGUAGES = [
  "ts",
  "typescript",
  "js",
  "javascript",
  "mjs",
  "sh",
  "bash",
  "shell",
  "console",
];

/**
 * A fenced block of a Markdown file, with the marker on the last non-blank line before it:
 * - `<!-- run: ID -->`: the docs' tests run it (ID names it there);
 * - `<!-- not run: REASON -->`: illustrative, with the reason it cannot run as is;
 * - `<!-- output: ID -->`: what the command of the block `ID` prints, checked by the test that runs it (`…` stands
 *   for a part that changes from run to run).
 */
export interface Block {
  readonly file: string;
  /** 1-based line of the opening fence. */
  readonly line: number;
  readonly language: string;
  readonly code: string;
  readonly marker: { readonly kind: "run" | "not run" | "output"; readonly value: string } | undefined;
}

/** A link of a Markdown file (inline, reference or autolink). */
export interface Link {
  readonly file: string;
  readonly line: number;
  readonly href: string;
}

const markdown = new MarkdownIt({ html: true });
const MARKER = /^<!--\s*(run|not run|output):\s*(.+?)\s*-->$/;

function tokensOf(path: string): { source: string; tokens: ReturnType<MarkdownIt["parse"]> } {
  const source = readFileSync(path, "utf8");
  return { source, tokens: markdown.parse(source, {}) };
}

/** The fenced blocks of the Markdown file at `path`, in order. */
export function blocksOf(path: string): Block[] {
  const { source, tokens } = tokensOf(path);
  const lines = source.split("\n");
  return tokens
    .filter((token) => token.type === "fence")
    .map((token) => {
      const start = token.map?.[0] ?? 0;
      let previous = start - 1;
      while (previous > 0 && (lines[previous] ?? "").trim() === "") previous -= 1;
      const before = (lines[previous] ?? "").trim();
      const match = MARKER.exec(before);
      return {
        file: path,
        line: start + 1,
        language: token.info.trim().split(/\s+/)[0] ?? "",
        code: token.content,
        marker:
          match === null
            ? undefined
            : { kind: match[1] as "run" | "not run" | "output", value: match[2] ?? "" },
      };
    });
}

/** The block marked `<!-- run: id -->` (or `output: id`) in the file at `path`; throws when there is none. */
export function block(path: string, id: string, kind: "run" | "output" = "run"): string {
  const found = blocksOf(path).filter((b) => b.marker?.kind === kind && b.marker.value === id);
  if (found.length !== 1) {
    throw new Error(`${path} has ${found.length} blocks marked <!-- ${kind}: ${id} -->, not one.`);
  }
  return found[0]?.code ?? "";
}

/** The links of the Markdown file at `path`, with the anchors its headings define. */
export function linksOf(path: string): { links: Link[]; anchors: Set<string> } {
  const { tokens } = tokensOf(path);
  const links: Link[] = [];
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  tokens.forEach((token, index) => {
    if (token.type === "heading_open") {
      const text = tokens[index + 1]?.children?.map((child) => child.content).join("") ?? "";
      const slug = githubSlug(text);
      const count = seen.get(slug) ?? 0;
      seen.set(slug, count + 1);
      anchors.add(count === 0 ? slug : `${slug}-${count}`);
    }
    for (const child of token.children ?? []) {
      const href = child.type === "link_open" ? child.attrGet("href") : undefined;
      if (href) links.push({ file: path, line: (token.map?.[0] ?? 0) + 1, href });
      // Links written as HTML.
      for (const match of child.type === "html_inline" ? child.content.matchAll(/href="([^"]+)"/g) : []) {
        links.push({ file: path, line: (token.map?.[0] ?? 0) + 1, href: match[1] ?? "" });
      }
    }
  });
  return { links, anchors };
}

/** The anchor GitHub gives a heading: lower case, punctuation dropped, spaces as dashes. */
export function githubSlug(text: string): string {
  return text
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, "")
    .replace(/ /g, "-");
}

/** Whether `href` points into the same repository or package (not a URL, a mail address or an anchor alone). */
export function isRelative(href: string): boolean {
  return !/^[a-z][a-z0-9+.-]*:/i.test(href) && !href.startsWith("//") && !href.startsWith("#");
}
