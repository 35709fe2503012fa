// What @oncekey/azure-keyvault adds to a process's start-up over core alone (whole processes, alternating runs),
// and that the Azure SDK loads only at the first Key Vault read, in both builds (import-cost.mjs holds the check).
import { lazyLoadCheck } from "./import-cost.mjs";

/** @param {import("../../evidence/bench/kit/index.mjs").kit} kit */
export default async function azureImportCost(kit) {
  const runs = kit.intFromEnv("BENCH_IMPORT_RUNS", kit.quick ? 3 : 15);
  const cwd = process.cwd();
  const contenders = {
    "ESM: core": "await import('@oncekey/core');",
    "ESM: core + azure-keyvault": "await import('@oncekey/core'); await import('@oncekey/azure-keyvault');",
  };
  kit.title(`azure-keyvault import cost: ${runs} fresh processes per contender, in turn`);
  const samples = await kit.alternate(contenders, {
    rounds: runs,
    warmupRounds: 1,
    sample: async (_name, code) => kit.processCost({ code, cwd, module: true }),
  });
  const cpu = (name) => kit.median(samples.get(name).map((s) => s.cpuMs));
  kit.table([
    ["process", "CPU ms (median)", "spread", "wall ms (median)"],
    ...[...samples].map(([name, values]) => [
      name,
      kit.format(cpu(name), 1),
      kit.spread(values.map((s) => s.cpuMs)),
      kit.format(kit.median(values.map((s) => s.ms)), 1),
    ]),
  ]);

  const checks = ["ESM", "CJS"].map((format) => ({ format, ...lazyLoadCheck(format) }));
  for (const { format, before, after, read } of checks)
    console.log(
      `${format}: @azure/* loaded before the first read: ${before.length}; after: ${after.length}; key read: ${read}`,
    );
  const broken = checks.filter(({ after, read }) => !read || !after.includes("@azure/keyvault-secrets"));
  return [
    kit.row({
      name: "process start-up importing core + azure-keyvault vs core alone, CPU, ES module",
      value: cpu("ESM: core + azure-keyvault") / cpu("ESM: core"),
      unit: "x",
      goal: ["<=", 1.1],
    }),
    kit.row({
      name: "@azure/* packages loaded before the first Key Vault read (ES module and CommonJS builds)",
      value: checks.reduce((sum, { before }) => sum + before.length, 0),
      unit: "packages",
      goal: ["==", 0],
      ...(broken.length === 0
        ? {}
        : {
            failed: `the first read did not load the SDK or read the key in ${broken.map((c) => c.format).join(", ")}`,
          }),
    }),
  ];
}
