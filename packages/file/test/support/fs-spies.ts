import { jest } from "@jest/globals";
import type * as Fs from "node:fs";
import type * as FsPromises from "node:fs/promises";
import { createRequire } from "node:module";

const require = createRequire(__filename);
const modules = {
  promises: require("node:fs/promises") as Record<string, unknown>,
  sync: require("node:fs") as Record<string, unknown>,
};

/** The file system calls the provider could make to look at, open or watch a file. */
const PROMISE_FUNCTIONS: readonly (keyof typeof FsPromises)[] = [
  "open",
  "readFile",
  "realpath",
  "stat",
  "lstat",
  "statfs",
  "readlink",
];
const SYNC_FUNCTIONS: readonly (keyof typeof Fs)[] = ["openSync", "readFileSync", "watch", "watchFile"];

type Spy = { mock: { calls: unknown[][] }; mockRestore(): void };

/** Spies (calling through) on every file system function the provider could use; `calls()` lists the paths touched. */
export function spyOnFileSystem(): { calls(name?: string): string[]; restore(): void } {
  const spy = (target: Record<string, unknown>, name: string): [string, Spy] => [
    name,
    jest.spyOn(target as Record<string, (...args: unknown[]) => unknown>, name) as unknown as Spy,
  ];
  const spies = [
    ...PROMISE_FUNCTIONS.map((name) => spy(modules.promises, name)),
    ...SYNC_FUNCTIONS.map((name) => spy(modules.sync, name)),
  ];
  return {
    calls: (only) =>
      spies
        .filter(([name]) => only === undefined || name === only)
        .flatMap(([name, s]) => s.mock.calls.map((args) => `${name} ${String(args[0])}`)),
    restore: () => spies.forEach(([, s]) => s.mockRestore()),
  };
}
