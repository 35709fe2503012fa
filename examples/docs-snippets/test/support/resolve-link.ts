import { existsSync, statSync } from "node:fs";
import { dirname, join, normalize } from "node:path";
import { isRelative, linksOf, type Link } from "./markdown.js";

/** A link of a Markdown file that does not lead where it says, and why. */
export interface BrokenLink {
  readonly at: string;
  readonly href: string;
  readonly why: string;
}

/** The path and anchor of a relative link, the path resolved against the file's folder. */
export function target(link: Link): { path: string; anchor: string | undefined } {
  const [path = "", anchor] = link.href.split("#");
  return {
    path: path === "" ? link.file : normalize(join(dirname(link.file), decodeURIComponent(path))),
    anchor: anchor === undefined || anchor === "" ? undefined : decodeURIComponent(anchor),
  };
}

/**
 * The relative links of the Markdown file at `path` whose target does not exist on disk, or whose `#anchor` is not
 * a heading of the Markdown file it points to. URLs (https:, mailto: …) are not followed.
 */
export function brokenLinksOf(path: string, label: (file: string) => string): BrokenLink[] {
  const broken: BrokenLink[] = [];
  for (const link of linksOf(path).links) {
    if (!isRelative(link.href) && !link.href.startsWith("#")) continue;
    const { path: file, anchor } = target(link);
    const at = `${label(link.file)}:${link.line}`;
    if (!existsSync(file)) {
      broken.push({ at, href: link.href, why: "no such file" });
    } else if (anchor !== undefined && file.endsWith(".md") && statSync(file).isFile()) {
      if (!linksOf(file).anchors.has(anchor))
        broken.push({ at, href: link.href, why: `no heading #${anchor}` });
    }
  }
  return broken;
}
