export { fromFile } from "./from-file.js";
export type { FromFileOptions } from "./from-file-options.js";
export { fileSource } from "./file-source.js";
export type { FilePermissions } from "./read/check-permissions.js";
export type { FileWatchMode } from "./watch/choose-watch-mode.js";
