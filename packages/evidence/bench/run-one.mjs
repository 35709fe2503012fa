// Runs one measure file in this process (started by run-benchmarks.mjs with --expose-gc, in the measure's package
// directory) and sends the rows it returns to the parent.
import { pathToFileURL } from "node:url";
import { kit } from "./kit/index.mjs";

const file = process.argv[2];
const measure = await import(pathToFileURL(file).href);
if (typeof measure.default !== "function") throw new TypeError(`${file} has no default export function`);
const rows = await measure.default(kit);
if (!Array.isArray(rows)) throw new TypeError(`${file} returned no rows`);
await new Promise((resolve) => process.send({ rows }, resolve));
process.exit(0);
