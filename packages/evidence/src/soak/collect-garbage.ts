import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

let gc: (() => void) | undefined = (globalThis as { gc?: () => void }).gc;

/**
 * A full garbage collection, three passes (weak references and finalizers in undici and lru-cache free more on
 * the second), then the heap in use. Works without `--expose-gc` too (a test runner's process), by turning the
 * flag on and reading `gc` from a fresh context.
 */
export function heapAfterGc(): number {
  if (gc === undefined) {
    setFlagsFromString("--expose-gc");
    gc = runInNewContext("gc") as () => void;
  }
  for (let pass = 0; pass < 3; pass++) gc();
  return process.memoryUsage().heapUsed;
}
