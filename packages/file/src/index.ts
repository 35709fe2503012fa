export { fromFile } from "./from-file.js";
export type { FromFileOptions } from "./from-file-options.js";
export { fileSource } from "./file-source.js";
export type { FilePermissions, FileWatchMode } from "@oncekey/core/source";
