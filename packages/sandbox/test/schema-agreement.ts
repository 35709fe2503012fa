/**
 * Whether the project's own schemas still agree with OnceHub's OpenAPI document, so they cannot drift from it
 * silently: where both describe a value, every type and value the project's schema allows is one the document
 * allows, every field the document requires the project's schema requires, and every field the project's schema
 * names is one the document defines. Walks `$ref`, `allOf` (all parts apply), `oneOf`/`anyOf` (one alternative
 * must take each type the project allows), object properties and array items, as deep as the project's schema goes.
 */

/** A schema inside one of the registered resources, with the URI its `$ref`s resolve against. */
interface Node {
  readonly schema: unknown;
  readonly base: string;
}

/** What all the parts of a schema (its `$ref` and `allOf` members included) say about a value. */
interface View {
  types: Set<string> | undefined;
  values: unknown[] | undefined;
  readonly properties: Map<string, Node[]>;
  readonly required: Set<string>;
  readonly items: Node[];
  readonly alternatives: Node[][];
}

type Json = Record<string, unknown>;

const ALL_TYPES = ["null", "boolean", "object", "array", "number", "string"];

const jsonType = (value: unknown): string => {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
};

const accepts = (types: Set<string>, type: string): boolean =>
  types.has(type) || (type === "integer" && types.has("number"));

const intersect = (a: Set<string> | undefined, b: Set<string>): Set<string> =>
  a === undefined ? b : new Set([...a].filter((type) => accepts(b, type)));

/** Schema resources by URI, and `$ref` resolution between them. */
export class SchemaRegistry {
  readonly #resources = new Map<string, unknown>();

  /** Registers a resource under `uri` (for the project's schemas, their `$id`). */
  add(uri: string, schema: unknown): this {
    this.#resources.set(uri, schema);
    return this;
  }

  /** The schema at `ref` (a URI with an optional JSON-pointer fragment), resolved against `base`. */
  node(ref: string, base = ""): Node {
    const url = new URL(ref, base || undefined);
    const resource = url.href.replace(/#.*$/, "");
    let schema = this.#resources.get(resource);
    if (schema === undefined) throw new Error(`No schema registered as ${resource}.`);
    const pointer = decodeURIComponent(url.hash.replace(/^#/, ""));
    for (const segment of pointer.split("/").slice(1)) {
      schema = (schema as Json | undefined)?.[segment.replace(/~1/g, "/").replace(/~0/g, "~")];
      if (schema === undefined) throw new Error(`${url.href} points at nothing.`);
    }
    return { schema, base: resource };
  }

  /**
   * Everything in which the project's schema at `ours` disagrees with the document's at `theirs`, one line each
   * (empty when they agree).
   */
  disagreements(ours: string, theirs: string): string[] {
    return this.#agree([this.node(ours)], [this.node(theirs)], ours.replace(/^.*\//, ""));
  }

  #view(nodes: readonly Node[]): View {
    const view: View = {
      types: undefined,
      values: undefined,
      properties: new Map(),
      required: new Set(),
      items: [],
      alternatives: [],
    };
    const collect = (node: Node): void => {
      const schema = node.schema;
      if (schema === false) view.types = new Set();
      if (typeof schema !== "object" || schema === null) return;
      const s = schema as Json;
      if (typeof s["$ref"] === "string") collect(this.node(s["$ref"], node.base));
      for (const part of (s["allOf"] as unknown[] | undefined) ?? [])
        collect({ schema: part, base: node.base });
      if (typeof s["type"] === "string" || Array.isArray(s["type"]))
        view.types = intersect(view.types, new Set([s["type"]].flat() as string[]));
      const values = "const" in s ? [s["const"]] : (s["enum"] as unknown[] | undefined);
      if (values !== undefined) {
        view.values = view.values === undefined ? values : view.values.filter((v) => values.includes(v));
        view.types = intersect(view.types, new Set(values.map(jsonType)));
      }
      for (const [name, property] of Object.entries((s["properties"] as Json | undefined) ?? {})) {
        const list = view.properties.get(name) ?? [];
        list.push({ schema: property, base: node.base });
        view.properties.set(name, list);
      }
      for (const name of (s["required"] as string[] | undefined) ?? []) view.required.add(name);
      if (typeof s["items"] === "object") view.items.push({ schema: s["items"], base: node.base });
      for (const keyword of ["oneOf", "anyOf"]) {
        const group = s[keyword] as unknown[] | undefined;
        if (group !== undefined)
          view.alternatives.push(group.map((alt) => ({ schema: alt, base: node.base })));
      }
    };
    nodes.forEach(collect);
    return view;
  }

  #agree(ours: readonly Node[], theirs: readonly Node[], where: string): string[] {
    const o = this.#view(ours);
    const t = this.#view(theirs);
    const types = o.types ?? new Set(ALL_TYPES);
    return [...types].flatMap((type) => this.#agreeAs(type, o, t, where));
  }

  /** Disagreements about the values of one JSON type that the project's schema allows. */
  #agreeAs(type: string, o: View, t: View, where: string): string[] {
    if (t.types !== undefined && !accepts(t.types, type))
      return [
        `${where}: the project allows ${type}, the document only ${[...t.types].join(" or ") || "nothing"}`,
      ];
    const findings: string[] = [];
    const ours = o.values?.filter((value) => accepts(new Set([type]), jsonType(value)));
    if (t.values !== undefined) {
      if (ours === undefined) findings.push(`${where}: the document allows only ${JSON.stringify(t.values)}`);
      for (const value of ours ?? [])
        if (!t.values.includes(value))
          findings.push(`${where}: the document does not allow ${JSON.stringify(value)}`);
    }
    if (type === "object") {
      for (const name of t.required)
        if (!o.required.has(name))
          findings.push(`${where}: the document requires "${name}", the project does not`);
      for (const [name, property] of o.properties) {
        const theirs = t.properties.get(name);
        if (theirs !== undefined) findings.push(...this.#agree(property, theirs, `${where}.${name}`));
        else if (t.properties.size > 0)
          findings.push(`${where}: the project has "${name}", which the document does not define`);
      }
    }
    if (type === "array" && o.items.length > 0 && t.items.length > 0)
      findings.push(...this.#agree(o.items, t.items, `${where}[]`));
    for (const group of t.alternatives) {
      const tried = group.map((alt) => this.#agreeAs(type, o, this.#view([alt]), where));
      if (tried.every((result) => result.length > 0)) {
        const closest = tried.reduce((a, b) => (b.length < a.length ? b : a));
        findings.push(
          `${where}: as ${type}, fits none of the document's alternatives (${closest.join("; ")})`,
        );
      }
    }
    return findings;
  }
}
