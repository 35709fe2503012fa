import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { withFormats, type Json } from "./project-schemas.js";

// CI lays `shared/` beside the clone, so the document is looked for relative to the repository's root.
const REPO_ROOT = path.resolve(__dirname, "../../..");
/** Where the document is looked for when `ONCEHUB_OPENAPI` is not set. */
export const BESIDE_REPOSITORY = path.resolve(REPO_ROOT, "../shared/oncehub-openapi.json");
/** The URI the document is registered under, so its `#/components/...` references resolve. */
export const BASE = "https://oncehub.test/openapi.json";

/** Where OnceHub's OpenAPI document is, and what said so. */
export interface DocumentLocation {
  readonly path: string;
  readonly from: "ONCEHUB_OPENAPI" | "beside the repository";
}

/**
 * OnceHub's OpenAPI document: the file `ONCEHUB_OPENAPI` names (whether it exists or not: a path given on purpose
 * that is wrong must fail, not skip), else `../shared/oncehub-openapi.json` beside the repository when it exists,
 * else `undefined`.
 */
export function locateDocument(env: NodeJS.ProcessEnv = process.env): DocumentLocation | undefined {
  const named = env["ONCEHUB_OPENAPI"];
  if (named !== undefined && named !== "") return { path: path.resolve(named), from: "ONCEHUB_OPENAPI" };
  return existsSync(BESIDE_REPOSITORY)
    ? { path: BESIDE_REPOSITORY, from: "beside the repository" }
    : undefined;
}

/** The line printed when the document is nowhere: what was not run, and how to run it. */
export const NOT_RUN_NOTICE =
  `sandbox conformance: the check against OnceHub's full OpenAPI document was not run (ONCEHUB_OPENAPI is not ` +
  `set and ${BESIDE_REPOSITORY} does not exist); run it with ` +
  "ONCEHUB_OPENAPI=/path/to/oncehub-openapi.json pnpm --filter @oncekey/sandbox test";

/** Reads and parses the document; a missing or unreadable file is an error that says which and why. */
export function loadDocument(location: DocumentLocation): Json {
  if (!existsSync(location.path)) {
    throw new Error(
      `OnceHub's OpenAPI document was not found at ${location.path} (from ${location.from}). ` +
        "Set ONCEHUB_OPENAPI to the file's path, or unset it to check against the project's own schemas only.",
    );
  }
  return JSON.parse(readFileSync(location.path, "utf8")) as Json;
}

const escape = (segment: string): string => segment.replace(/~/g, "~0").replace(/\//g, "~1");

/** The JSON pointer (into the document) of the response schema of an operation, following `$ref`d responses. */
export function responseSchemaPointer(
  doc: Json,
  apiPath: string,
  method: string,
  status: number,
): string | undefined {
  const paths = doc["paths"] as Record<string, Record<string, { responses: Record<string, Json> }>>;
  const response = paths[apiPath]?.[method]?.responses[String(status)];
  if (response === undefined) return undefined;
  const ref = response["$ref"];
  const base = typeof ref === "string" ? ref : `#/paths/${escape(apiPath)}/${method}/responses/${status}`;
  return `${base}/content/application~1json/schema`;
}

/**
 * An ajv (draft 2020-12) that holds the whole document under {@link BASE}, so every `#/components/...` reference
 * inside it resolves, with the formats the document uses.
 */
export function documentValidator(doc: Json): Ajv2020 {
  const ajv = withFormats(new Ajv2020({ strict: false, allErrors: true }));
  ajv.addSchema({ ...doc, $id: BASE });
  return ajv;
}
