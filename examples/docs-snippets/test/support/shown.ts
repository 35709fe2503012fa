import { expect } from "@jest/globals";

/** Where the docs show the project that the tests lay out in a temporary directory. */
export const SHOWN_PROJECT_DIR = "/home/me/my-app";

/** The port the docs use for the sandbox; tests use a free one and show it as this. */
export const SHOWN_PORT = 8443;

/** `text` as the docs show it: each of `replacements` applied, trailing spaces and blank lines dropped. */
export function asShown(
  text: string,
  replacements: readonly (readonly [string | RegExp, string])[] = [],
): string {
  let out = text;
  for (const [from, to] of replacements)
    out = typeof from === "string" ? out.split(from).join(to) : out.replace(from, to);
  return out
    .split("\n")
    .map((line) => line.trimEnd())
    .join("\n")
    .replace(/\n+$/, "");
}

/**
 * Checks that `actual` is what a doc shows: line for line, where `…` in the doc stands for any text within a line.
 */
export function expectShown(actual: string, shown: string): void {
  const pattern = asShown(shown)
    .split("\n")
    .map((line) =>
      line
        .split("…")
        .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
        .join(".*?"),
    )
    .join("\n");
  expect(asShown(actual)).toMatch(new RegExp(`^${pattern}$`));
}
