import { readFileSync } from "node:fs";
import { join } from "node:path";

/**
 * The lines of the README's `index`-th TypeScript block (from 0) that the file `testFile` does not hold, trimmed:
 * an empty list means the test runs the README's code as shown.
 *
 * @param index - Which ```ts block.
 * @param testFile - The test that runs it (`__filename`).
 * @example
 * ```ts
 * expect(readmeLinesMissingFrom(0, __filename)).toEqual([]);
 * ```
 */
export function readmeLinesMissingFrom(index: number, testFile: string): string[] {
  const readme = readFileSync(join(__dirname, "..", "README.md"), "utf8");
  const block = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)][index]?.[1];
  if (block === undefined) throw new Error(`The README has no TypeScript block ${index}.`);
  const here = new Set(
    readFileSync(testFile, "utf8")
      .split("\n")
      .map((line) => line.trim()),
  );
  return block
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "" && !here.has(line));
}
