// The TypeDoc plugin of this workspace's API reference (`pnpm docs`, configured in typedoc.json). TypeDoc documents
// every package entry from one TypeScript program; this plugin adds what that setup lacks:
// - each module is named after the package entry it documents (`@oncekey/core`, `@oncekey/core/source`), not its
//   path (`core/src/source`);
// - the entry points are every entry of every published package's `exports` map, so a new package or subpath is
//   documented (and checked) without a change here;
// - every published package must document its exports (TypeDoc checks only the root package.json's by default), and
//   a type that a package's documented API refers to but does not export is reported (TypeDoc's own check skips
//   types outside the root package);
// - `knownProblems` lists problems that exist today, verbatim, each one owned by a package: they are reported as
//   information, and a listed problem that no longer occurs fails the run, so the list only shrinks.
// An entry `./x` of a package's `exports` (types `./dist/x.d.ts`) is documented from `src/x.ts`, as tsup builds it.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { Application, Converter, makeRecursiveVisitor, ParameterType, ReflectionKind } from "typedoc";

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
const PACKAGES = join(ROOT, "packages");

/**
 * Every published package's entries.
 * @returns {{ names: Set<string>, entries: Map<string, string> }} package names, and source file -> entry name
 */
function publishedEntries() {
  const names = new Set();
  const entries = new Map();
  for (const dir of readdirSync(PACKAGES)) {
    let manifest;
    try {
      manifest = JSON.parse(readFileSync(join(PACKAGES, dir, "package.json"), "utf8"));
    } catch {
      continue;
    }
    if (manifest.private === true) continue;
    names.add(manifest.name);
    for (const [subpath, target] of Object.entries(manifest.exports ?? {})) {
      const match = /^\.\/dist\/(.+)\.d\.(?:ts|cts|mts)$/.exec(typesOf(target) ?? "");
      if (match === null) continue;
      const source = join(PACKAGES, dir, "src", `${match[1]}.ts`);
      entries.set(source, subpath === "." ? manifest.name : `${manifest.name}${subpath.slice(1)}`);
    }
  }
  return { names, entries };
}

/** The `types` file an export condition tree gives to `import`. */
function typesOf(target) {
  if (typeof target !== "object" || target === null) return undefined;
  if (typeof target.types === "string") return target.types;
  return typesOf(target.import) ?? typesOf(target.default);
}

/** Types referred to by the documented API, each with the reflection that refers to it. */
function references(project) {
  const found = [];
  for (const owner of Object.values(project.reflections)) {
    const visitor = makeRecursiveVisitor({ reference: (type) => void found.push({ type, owner }) });
    owner.type?.visit(visitor);
    owner.default?.visit?.(visitor);
    for (const type of owner.implementedTypes ?? []) type.visit(visitor);
  }
  return found;
}

/** @param {Application} app */
export function load(app) {
  const { names, entries } = publishedEntries();

  app.options.addDeclaration({
    name: "knownProblems",
    help: "Warnings that exist today, verbatim: reported as information; one that no longer occurs is an error.",
    type: ParameterType.Array,
    defaultValue: [],
  });

  // A known problem is reported as information instead of a warning, from either of TypeDoc's warning calls.
  const seen = new Set();
  const known = (text) => {
    if (!app.options.getValue("knownProblems").includes(text)) return false;
    seen.add(text);
    app.logger.verbose(`known problem: ${text}`);
    return true;
  };
  const { logger } = app;
  const warn = logger.warn.bind(logger);
  const validationWarning = logger.validationWarning.bind(logger);
  logger.warn = (text, ...args) => void (known(text) || warn(text, ...args));
  logger.validationWarning = (text, ...args) => void (known(text) || validationWarning(text, ...args));

  app.on(Application.EVENT_BOOTSTRAP_END, () => {
    if (app.options.isSet("entryPoints")) {
      app.logger.error(
        "typedoc.json sets entryPoints: leave them out, they come from the packages' exports maps.",
      );
    }
    app.options.setValue(
      "entryPoints",
      [...entries.keys()].map((source) => relative(ROOT, source).split(sep).join("/")),
    );
    if (!app.options.isSet("packagesRequiringDocumentation")) {
      app.options.setValue("packagesRequiringDocumentation", [...names]);
    }
  });

  app.converter.on(Converter.EVENT_RESOLVE_BEGIN, (context) => {
    for (const module of context.project.getChildrenByKind(ReflectionKind.Module)) {
      const file = module.sources?.[0]?.fullFileName;
      const name = file === undefined ? undefined : entries.get(resolve(file));
      if (name !== undefined) module.name = name;
    }
  });

  app.on(Application.EVENT_VALIDATE_PROJECT, (project) => {
    if (app.options.getValue("validation").notExported) {
      const reported = new Set();
      for (const { type, owner } of references(project)) {
        if (type.reflection || type.externalUrl || type.isIntentionallyBroken() || !names.has(type.package))
          continue;
        const key = type.symbolId?.getStableKey();
        if (reported.has(key)) continue;
        reported.add(key);
        const where = `${type.symbolId.packageName}/${type.symbolId.packagePath}`;
        app.logger.validationWarning(
          `${type.qualifiedName}, defined in ${where}, is referenced by ${owner.getFriendlyFullName()} but not exported`,
        );
      }
    }
    for (const problem of app.options.getValue("knownProblems")) {
      if (!seen.has(problem)) {
        app.logger.error(`typedoc.json lists a known problem that no longer occurs; remove it: ${problem}`);
      }
    }
  });
}
