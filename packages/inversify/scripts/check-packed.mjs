// Checks the README's wiring as a user gets it: packs the workspace packages it needs (`pnpm pack`), installs the
// tarballs with npm in a temporary app together with `inversify` as npm resolves it (8 today) and with
// `inversify@7`, compiles the README's example with `tsc`, and runs it with node against a sandbox. With inversify
// 8 it also loads the package from CommonJS (Node's `require` of an ES module). It reaches the npm registry, so it
// is not part of `pnpm test`: run it with `pnpm --filter @oncekey/inversify check:packed` after `pnpm build`.
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const run = promisify(execFile);
const here = dirname(fileURLToPath(import.meta.url));
const packages = join(here, "..", "..");
const PACKED = ["core", "env", "file", "azure-keyvault", "inversify", "sandbox"];
const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");

/** The README's TypeScript blocks: the example (inversify 8), then its inversify 7 lines. */
async function readmeBlocks() {
  const readme = await readFile(join(here, "..", "README.md"), "utf8");
  return [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1].split("\n"));
}

/** The example as written for `major`: the inversify 7 block replaces the lines from `container.load(` on. */
function example([first, seven], major) {
  if (major === 8) return first;
  const at = first.findIndex((line) => line.startsWith("container.load("));
  const lines = seven.filter((line) => line.trim() !== "");
  return [...first.slice(0, at), ...lines, ...first.slice(at + lines.length)];
}

const RUNNER = `
import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { startSandbox } from "@oncekey/sandbox";

const sandbox = await startSandbox({ rateLimit: false, bookings: 3 });
const dir = mkdtempSync(join(tmpdir(), "oncekey-ca-"));
writeFileSync(join(dir, "ca.pem"), sandbox.ca);
const env = {
  PATH: process.env.PATH,
  ONCEKEY_SOURCE: "env",
  ONCEHUB_API_KEY: sandbox.key,
  ONCEHUB_BASE_URL: sandbox.baseUrl,
  ONCEKEY_CA_FILE: join(dir, "ca.pem"),
};
try {
  const { stdout } = await promisify(execFile)(process.execPath, process.argv.slice(2), { env, timeout: 30_000 });
  const requests = sandbox.requests.all().map((entry) => entry.path + " " + entry.status);
  console.log(stdout.trim(), JSON.stringify(requests));
} finally {
  await sandbox.close();
}
`;

const CJS_CHECK = `
const { staticKey } = require("@oncekey/core");
const { ONCEKEY, OnceKeyModule } = require("@oncekey/inversify");
const { Container } = require("inversify");
const container = new Container();
const module_ = OnceKeyModule.fromOptions({ keys: staticKey("k-0123456789"), pacing: false });
container.load(module_);
container.get(ONCEKEY.Client);
container.unloadAsync(module_).then(() => console.log("CommonJS: loaded, resolved and unloaded"));
`;

const TSCONFIG = {
  compilerOptions: {
    target: "ES2022",
    module: "NodeNext",
    moduleResolution: "NodeNext",
    strict: true,
    experimentalDecorators: true,
    emitDecoratorMetadata: true,
    skipLibCheck: true,
    outDir: "out",
    types: ["node"],
  },
  files: ["app.ts"],
};

const work = await mkdtemp(join(tmpdir(), "oncekey-inversify-packed-"));
try {
  const tarballs = join(work, "tarballs");
  await mkdir(tarballs);
  const specs = [];
  for (const name of PACKED) {
    const { stdout } = await run("pnpm", ["pack", "--json", "--pack-destination", tarballs], {
      cwd: join(packages, name),
    });
    specs.push(JSON.parse(stdout).filename);
  }
  const blocks = await readmeBlocks();

  for (const major of [8, 7]) {
    const app = join(work, `app-inversify${major}`);
    await mkdir(app);
    await writeFile(
      join(app, "package.json"),
      JSON.stringify({ name: "app", private: true, type: "module" }),
    );
    const inversify = major === 8 ? "inversify" : "inversify@7";
    await run("npm", ["install", "--no-audit", "--no-fund", ...specs, inversify, "reflect-metadata"], {
      cwd: app,
    });
    await run(
      "npm",
      ["install", "--no-audit", "--no-fund", "--save-dev", "typescript@5.9.3", "@types/node@20"],
      {
        cwd: app,
      },
    );
    const installed = JSON.parse(
      await readFile(join(app, "node_modules", "inversify", "package.json"), "utf8"),
    );
    const code = [...example(blocks, major), "console.log(JSON.stringify({ ids: ids.length }));"].join("\n");
    await writeFile(join(app, "app.ts"), code);
    await writeFile(join(app, "tsconfig.json"), JSON.stringify(TSCONFIG));
    await writeFile(join(app, "run.mjs"), RUNNER);
    await run(process.execPath, [tsc, "-p", "tsconfig.json"], { cwd: app });
    const { stdout } = await run(process.execPath, ["run.mjs", "out/app.js"], { cwd: app });
    console.log(`inversify ${installed.version}: the README's example printed ${stdout.trim()}`);
    if (major === 8) {
      await writeFile(join(app, "check.cjs"), CJS_CHECK);
      console.log(
        `inversify ${installed.version}: ${(await run(process.execPath, ["check.cjs"], { cwd: app })).stdout.trim()}`,
      );
    }
  }
} finally {
  await rm(work, { recursive: true, force: true });
}
