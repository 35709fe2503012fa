import { describe, expect, it } from "@jest/globals";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as sandbox from "@oncekey/sandbox";
import * as azureKeyVault from "../src/index.js";

const modules: Record<string, unknown> = {
  "@oncekey/azure-keyvault": azureKeyVault,
  "@oncekey/sandbox": sandbox,
};

/** The README's runnable example: its one `js` block, with its imports bound to this package's sources. */
function readmeExample(): string {
  const readme = readFileSync(join(__dirname, "..", "README.md"), "utf8");
  const blocks = [...readme.matchAll(/```js\n([\s\S]*?)```/g)].map((match) => match[1] ?? "");
  expect(blocks).toHaveLength(1);
  return (blocks[0] ?? "").replace(
    /^import \{([^}]+)\} from "([^"]+)";$/gm,
    (_, names: string, from: string) => `const {${names}} = modules[${JSON.stringify(from)}];`,
  );
}

describe("README example", () => {
  it("runs against the fake vault and prints what its comments say", async () => {
    const printed: string[] = [];
    const console = { log: (line: unknown) => printed.push(String(line)) };
    const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor as new (
      ...args: string[]
    ) => (...values: unknown[]) => Promise<void>;

    await new AsyncFunction("modules", "console", readmeExample())(modules, console);

    expect(printed).toEqual([
      expect.stringMatching(
        /^ApiKey\(sha256:[0-9a-f]{12} from azure-keyvault:127\.0\.0\.1:\d+\/oncehub-acme\)$/,
      ),
      "true",
      "true",
    ]);
    expect(printed.join("\n")).not.toContain("key-for-acme");
  });
});
