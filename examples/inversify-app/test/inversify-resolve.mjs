// Module resolution hooks (registered by use-inversify.mjs): the bare specifier "inversify" means `alias`,
// resolved from this package, wherever it is imported from.
let alias;

export function initialize(data) {
  alias = data.alias;
}

export function resolve(specifier, context, next) {
  return specifier === "inversify"
    ? next(alias, { ...context, parentURL: import.meta.url })
    : next(specifier, context);
}
