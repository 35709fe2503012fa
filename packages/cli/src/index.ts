// The `oncekey` command, for programs: the same commands, output and exit codes as the installed binary.
export { runOncekey } from "./cli/run-oncekey.js";
export type { RunOncekeyOptions } from "./cli/run-oncekey.js";
export type { CommandInput } from "./cli/command-io.js";
export type { CommandOutput } from "./cli/command-io.js";
export { EXIT_CODES, exitCodeFor } from "./errors/exit-codes.js";
export { runDemo } from "./demo/run-demo.js";
export type { RunDemoOptions } from "./demo/run-demo.js";

// The `--json` output
export type {
  CommandReport,
  DoctorReport,
  ReportWarning,
  RotateReport,
  RotationTarget,
  SourceStep,
} from "./output/command-report.js";
export type { ReportedError } from "./errors/describe-error.js";
