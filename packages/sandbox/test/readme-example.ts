import { readFileSync } from "node:fs";
import path from "node:path";

const trimLines = (lines: string[]): string => lines.join("\n").trim();

/** The first ```ts block after `heading` in the package README, without its import lines. */
export function readmeBlock(heading: string): string {
  const readme = readFileSync(path.join(__dirname, "../README.md"), "utf8");
  const start = readme.indexOf(`\n${heading}\n`);
  const block = start === -1 ? "" : (/```ts\n([\s\S]*?)```/.exec(readme.slice(start))?.[1] ?? "");
  return trimLines(block.split("\n").filter((line) => !line.startsWith("import ")));
}

/** The body of `async function <name>` in `file`, one indent level removed: the code a README test runs. */
export function functionBody(file: string, name: string): string {
  const source = readFileSync(file, "utf8");
  const body = new RegExp(`async function ${name}[^\\n]*\\n([\\s\\S]*?)\\n\\}\\n`).exec(source)?.[1] ?? "";
  return trimLines(body.split("\n").map((line) => line.replace(/^ {2}/, "")));
}
