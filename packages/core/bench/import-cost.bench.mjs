// What importing @oncekey/core costs over importing undici alone, measured as whole processes (start-up, the
// import, exit), in alternating runs; CommonJS and ES module builds. CPU time is the steadier measure on a shared
// machine; wall time is printed too.

/** @param {import("../../evidence/bench/kit/index.mjs").kit} kit */
export default async function importCost(kit) {
  const runs = kit.intFromEnv("BENCH_IMPORT_RUNS", kit.quick ? 3 : 15);
  const cwd = process.cwd();
  const contenders = {
    "CJS: require('undici')": { code: "require('undici');", module: false },
    "CJS: require('@oncekey/core')": { code: "require('@oncekey/core');", module: false },
    "ESM: import 'undici'": { code: "await import('undici');", module: true },
    "ESM: import '@oncekey/core'": { code: "await import('@oncekey/core');", module: true },
    "node alone (reference)": { code: "", module: false },
  };
  kit.title(`import cost: ${runs} fresh processes per contender, in turn (Node ${process.version})`);
  const samples = await kit.alternate(contenders, {
    rounds: runs,
    warmupRounds: 1,
    sample: async (_name, { code, module }) => kit.processCost({ code, cwd, module }),
  });
  const cpu = (name) => kit.median(samples.get(name).map((s) => s.cpuMs));
  const wall = (name) => kit.median(samples.get(name).map((s) => s.ms));
  const rss = (name) => kit.median(samples.get(name).map((s) => s.rss)) / 2 ** 20;
  kit.table([
    ["process", "CPU ms (median)", "spread", "wall ms (median)", "RSS MiB"],
    ...[...samples].map(([name, values]) => [
      name,
      kit.format(cpu(name), 1),
      kit.spread(values.map((s) => s.cpuMs)),
      kit.format(wall(name), 1),
      kit.format(rss(name), 1),
    ]),
  ]);
  return [
    kit.row({
      name: "process start-up importing @oncekey/core vs undici alone, CPU, CommonJS",
      value: cpu("CJS: require('@oncekey/core')") / cpu("CJS: require('undici')"),
      unit: "x",
      goal: ["<=", 1.25],
    }),
    kit.row({
      name: "process start-up importing @oncekey/core vs undici alone, CPU, ES module",
      value: cpu("ESM: import '@oncekey/core'") / cpu("ESM: import 'undici'"),
      unit: "x",
      goal: ["<=", 1.25],
    }),
  ];
}
