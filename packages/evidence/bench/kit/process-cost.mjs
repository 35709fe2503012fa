// The cost of a whole Node process that runs a few lines (start-up, the imports, exit), as the process itself
// sees it at exit: wall time since its time origin and CPU time (user + system) since it started.
import { execFileSync } from "node:child_process";

const REPORT =
  "const __cpu = process.cpuUsage(); " +
  "process.stdout.write(JSON.stringify({ ms: performance.now(), cpuMs: (__cpu.user + __cpu.system) / 1000, " +
  "rss: process.memoryUsage().rss }) + '\\n');";

/**
 * Runs `code` in a fresh `node` process (an ES module when `module` is true) from `cwd`, so imports resolve from
 * that package; returns `{ ms, cpuMs, rss }` of the whole process.
 *
 * @param {{ code: string, cwd: string, module?: boolean }} options
 */
export function processCost({ code, cwd, module = false }) {
  const flags = module ? ["--input-type=module", "-e"] : ["-e"];
  const output = execFileSync(process.execPath, [...flags, `${code}\n${REPORT}`], { cwd, encoding: "utf8" });
  return JSON.parse(output.trim().split("\n").pop());
}
