// Measures what `@oncekey/azure-keyvault` adds to start-up, from the built packages (run `pnpm build` first):
// import time and RSS of core alone, core + this package, and core + this package + the Azure SDK that the
// first Key Vault read loads. It also checks, in the ES module and the CommonJS build, that no Azure package
// loads before the first read and that the first read loads them (against the sandbox's fake vault).
//
//   node bench/import-cost.mjs [runs=9]
// pnpm bench runs the same checks through import-cost.bench.mjs.
import { execFileSync } from "node:child_process";
import { fileURLToPath, pathToFileURL, URL } from "node:url";

const packageDir = fileURLToPath(new URL("..", import.meta.url));

/** The modules each row of the table loads. */
export const scenarios = {
  core: ["@oncekey/core"],
  "core + azure-keyvault": ["@oncekey/core", "@oncekey/azure-keyvault"],
  "core + azure-keyvault + Azure SDK (first read)": [
    "@oncekey/core",
    "@oncekey/azure-keyvault",
    "@azure/keyvault-secrets",
    "@azure/identity",
  ],
};

// Wall time suffers when the machine is busy; CPU time (user + system) much less, so both are reported.
const probe = (load) => (modules) => `
const start = performance.now();
const cpu = process.cpuUsage();
${modules.map((name) => load(JSON.stringify(name))).join("\n")}
const used = process.cpuUsage(cpu);
const ms = performance.now() - start;
console.log(JSON.stringify({ ms, cpuMs: (used.user + used.system) / 1000, rss: process.memoryUsage().rss }));`;
const esmProbe = probe((name) => `await import(${name});`);
const cjsProbe = probe((name) => `require(${name});`);

function run(args) {
  return JSON.parse(
    execFileSync(process.execPath, args, { cwd: packageDir, encoding: "utf8" }).trim().split("\n").pop(),
  );
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** Prints the import cost table: median of `runs` fresh processes per row, rows sampled in turn. */
function printImportCost(runs) {
  console.log(`Import cost, median of ${runs} fresh processes per row (Node ${process.version})\n`);
  console.log("| build | modules | wall ms | CPU ms | RSS MiB |");
  console.log("| --- | --- | ---: | ---: | ---: |");
  for (const [format, probeFor, flags] of [
    ["ESM", esmProbe, ["--input-type=module", "-e"]],
    ["CJS", cjsProbe, ["-e"]],
  ]) {
    // Rows are sampled in turn, so a burst of load elsewhere on the machine hits all of them alike.
    const rows = Object.entries(scenarios).map(([label, modules]) => ({
      label,
      code: probeFor(modules),
      samples: [],
    }));
    for (let i = 0; i < runs; i += 1) for (const row of rows) row.samples.push(run([...flags, row.code]));
    for (const { label, samples } of rows) {
      const ms = median(samples.map((s) => s.ms));
      const cpuMs = median(samples.map((s) => s.cpuMs));
      const rss = median(samples.map((s) => s.rss)) / 2 ** 20;
      console.log(`| ${format} | ${label} | ${ms.toFixed(1)} | ${cpuMs.toFixed(1)} | ${rss.toFixed(1)} |`);
    }
  }
}

// Lazy loading, checked in both builds: which @azure/* packages are loaded before and after the first read.
// ES modules are traced with a resolve hook (node:module register), CommonJS ones through require.cache.
const esmTracer = `
import { register } from "node:module";
import { MessageChannel } from "node:worker_threads";
const { port1, port2 } = new MessageChannel();
port1.on("message", note);
port1.unref();
const hooks = "let port; export function initialize(data) { port = data.port; }" +
  "export async function resolve(specifier, context, next) { const r = await next(specifier, context); port.postMessage(r.url); return r; }";
register("data:text/javascript," + encodeURIComponent(hooks), { data: { port: port2 }, transferList: [port2] });
const load = (name) => import(name);
const settle = () => new Promise((resolve) => setTimeout(resolve, 100));`;

const cjsTracer = `
const load = async (name) => require(name);
const settle = async () => { for (const file of Object.keys(require.cache)) note(file); };`;

const lazyCheck = (format) => `
const seen = new Set();
function note(url) { const m = /node_modules\\/((?:@azure(?:-rest)?|@typespec)\\/[^/]+)/.exec(url); if (m) seen.add(m[1]); }
${format === "ESM" ? esmTracer : cjsTracer}
const loaded = async () => { await settle(); return [...seen].sort(); };
const { fromAzureKeyVault } = await load("@oncekey/azure-keyvault");
const { startFakeKeyVault } = await load("@oncekey/sandbox");
const vault = await startFakeKeyVault();
vault.setSecret("bench", "bench-key");
const keys = fromAzureKeyVault({
  vaultUrl: vault.url,
  secretName: "bench",
  credential: { getToken: async () => ({ token: "t", expiresOnTimestamp: Date.now() + 3600000 }) },
  clientOptions: { tlsOptions: { ca: vault.ca } },
});
const before = await loaded();
const key = await keys.getKey();
const after = await loaded();
await keys.close();
await vault.close();
console.log(JSON.stringify({ before, after, read: key.reveal() === "bench-key" }));`;

/**
 * Which @azure/* packages the `format` build ("ESM" or "CJS") has loaded before and after the first Key Vault read,
 * against the sandbox's fake vault, in a fresh process: `{ before, after, read }` (`read`: the key came back).
 */
export function lazyLoadCheck(format) {
  const flags = format === "ESM" ? ["--input-type=module", "-e"] : ["-e"];
  const body = format === "ESM" ? lazyCheck(format) : `(async () => {${lazyCheck(format)}})();`;
  return run([...flags, body]);
}

function main() {
  printImportCost(Number(process.argv[2] ?? 9));
  console.log("\nAzure packages loaded before and after the first read:\n");
  for (const format of ["ESM", "CJS"]) {
    const { before, after, read } = lazyLoadCheck(format);
    console.log(
      `- ${format}: before ${JSON.stringify(before)}; after ${after.length} packages (${after.join(", ")}); key read: ${read}`,
    );
    if (before.length > 0 || !after.includes("@azure/keyvault-secrets") || !read) process.exitCode = 1;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
