// The build every package shares: ESM and CommonJS with types, for Node 20. A package passes its entries;
// `dtsEntry` limits the declarations to the entries that are libraries (not commands).
/** @param {{ entry?: string[] | Record<string, string>, dtsEntry?: Record<string, string> }} [options] */
export function packageBuild({ entry = ["src/index.ts"], dtsEntry } = {}) {
  return {
    entry,
    format: ["esm", "cjs"],
    dts: dtsEntry === undefined ? true : { entry: dtsEntry },
    clean: true,
    // Entries share one copy of their common modules in both formats (tsup splits only ESM by default), so an
    // error class or module state is the same object whichever entry loaded it.
    splitting: true,
    sourcemap: true,
    // Class and function names as written: an error prints as ConfigError, not as a bundler's ConfigError2.
    keepNames: true,
    target: "node20",
  };
}
