import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";

// CI clones the repository and lays `shared/` beside the clone, so the document is found relative to the repo.
const REPO_ROOT = path.resolve(__dirname, "../../..");
export const OPENAPI_PATH =
  process.env["ONCEHUB_OPENAPI"] ?? path.resolve(REPO_ROOT, "../shared/oncehub-openapi.json");
export const BASE = "https://oncehub.test/openapi.json";

export type Json = Record<string, unknown>;

export function loadDocument(): Json {
  if (!existsSync(OPENAPI_PATH)) {
    throw new Error(
      `OnceHub's OpenAPI document was not found at ${OPENAPI_PATH}. The conformance test needs it: ` +
        "lay shared/oncehub-openapi.json beside the repository, or set ONCEHUB_OPENAPI to its path.",
    );
  }
  return JSON.parse(readFileSync(OPENAPI_PATH, "utf8")) as Json;
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
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  ajv.addFormat("date-time", /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/);
  ajv.addFormat("date", /^\d{4}-\d\d-\d\d$/);
  ajv.addFormat("email", /^[^\s@]+@[^\s@]+$/);
  ajv.addFormat("uri", /^[a-z][a-z0-9+.-]*:/i);
  ajv.addSchema({ ...doc, $id: BASE });
  return ajv;
}
