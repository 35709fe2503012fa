// `node --import ./test/use-inversify.mjs?major=7 dist/main.js` runs the app, unchanged, with every import of
// "inversify" (the app's and @oncekey/inversify's) resolved to the installed copy of that major: this package's
// `inversify7` or `inversify8` alias. Node loads that copy as it would for an app that installed it.
import { register } from "node:module";
import { URL } from "node:url";

const major = new URL(import.meta.url).searchParams.get("major");
if (major !== "7" && major !== "8")
  throw new Error(`use-inversify.mjs needs ?major=7 or ?major=8, got ${major}`);
register("./inversify-resolve.mjs", import.meta.url, { data: { alias: `inversify${major}` } });
