#!/usr/bin/env node
import { dispatch } from "../cli/dispatch.js";

const argv = process.argv.slice(2);
const controller = new AbortController();
// `sandbox` runs until stopped and then closes its servers and removes its CA file; every other command keeps
// Node's default: Ctrl+C ends it at once.
if (argv[0] === "sandbox") {
  process.once("SIGINT", () => controller.abort());
  process.once("SIGTERM", () => controller.abort());
}
// A reader that went away (`oncekey check --json | head -1`) is not an error of the command.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code !== "EPIPE") throw error;
});

dispatch(argv, {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  signal: controller.signal,
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // Not the message: it could repeat a setting that holds a key. Commands report their own failures.
    const name = error instanceof Error ? error.name : typeof error;
    console.error(`oncekey: the command stopped on an unexpected ${name}.`);
    process.exitCode = 1;
  },
);
