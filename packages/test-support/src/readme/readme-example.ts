import { readFileSync } from "node:fs";

/**
 * Reads a README's first ` ```ts ` block and says which of its lines (trimmed, blank ones aside) a test file does
 * not hold, so that a test can prove it runs the code the README shows.
 *
 * @param readmePath - The README.
 * @param testPath - The test file that runs the example (`expect.getState().testPath` or `__filename`).
 * @returns The example's text (empty when the README has no `ts` block) and its lines missing from the test.
 * @example
 * ```ts
 * const { example, missing } = readmeExample(join(__dirname, "..", "README.md"), __filename);
 * expect(example).not.toBe("");
 * expect(missing).toEqual([]);
 * ```
 */
export function readmeExample(
  readmePath: string,
  testPath: string,
): { readonly example: string; readonly missing: string[] } {
  const example = /```ts\n([\s\S]*?)```/.exec(readFileSync(readmePath, "utf8"))?.[1] ?? "";
  const lines = new Set(
    readFileSync(testPath, "utf8")
      .split("\n")
      .map((line) => line.trim()),
  );
  const missing = example
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "" && !lines.has(line));
  return { example, missing };
}
