import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";

/** The base URI of the project's own schemas (`.invalid`: they are never fetched, only named). */
export const SCHEMA_BASE = "https://oncekey.invalid/sandbox/";

const SCHEMA_DIR = path.join(__dirname, "schemas");

export type Json = Record<string, unknown>;

/**
 * The response shapes the sandbox promises, as JSON Schemas (draft 2020-12) written from OnceHub's documents but
 * stricter: every field the sandbox always sends is required, and no other field is allowed. Keyed by file name.
 */
export function projectSchemas(): Record<string, Json> {
  const files = readdirSync(SCHEMA_DIR).filter((file) => file.endsWith(".schema.json"));
  return Object.fromEntries(
    files.map((file) => [file, JSON.parse(readFileSync(path.join(SCHEMA_DIR, file), "utf8")) as Json]),
  );
}

/** Adds the string formats both the project's schemas and OnceHub's document use. */
export function withFormats(ajv: Ajv2020): Ajv2020 {
  ajv.addFormat("date-time", /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/);
  ajv.addFormat("date", /^\d{4}-\d\d-\d\d$/);
  ajv.addFormat("email", /^[^\s@]+@[^\s@]+$/);
  ajv.addFormat("uri", /^[a-z][a-z0-9+.-]*:/i);
  return ajv;
}

/** An ajv holding every project schema, so `<file>` and `<file>#/$defs/<name>` resolve under {@link SCHEMA_BASE}. */
export function projectValidator(schemas: Record<string, Json> = projectSchemas()): Ajv2020 {
  const ajv = withFormats(new Ajv2020({ strict: true, allErrors: true }));
  for (const schema of Object.values(schemas)) ajv.addSchema(schema);
  return ajv;
}
