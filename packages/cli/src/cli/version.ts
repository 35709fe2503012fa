/** The package's version: set by the build (tsup.config.ts) and, for the sources, by jest.config.cjs. */
declare const __ONCEKEY_CLI_VERSION__: string;

/**
 * `oncekey --version`'s answer, part of the bundle: printing it reads no file.
 *
 * @example
 * ```ts
 * io.stdout.write(`${VERSION}\n`);
 * ```
 */
export const VERSION: string = __ONCEKEY_CLI_VERSION__;
