import packageJson from "../../package.json" with { type: "json" };

/** The package's version, `oncekey --version`'s answer; bundled at build time, so printing it reads no file. */
export const VERSION: string = packageJson.version;
