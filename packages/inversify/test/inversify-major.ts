import { Container, type ContainerModule } from "inversify";

/**
 * The inversify major this run loads: the jest config runs every test file twice, with "inversify" mapped to 7.11
 * and to 8.2. Inversify 8 renamed the asynchronous `load` and `unload` of 7 to `loadAsync` and `unloadAsync`, and
 * made `load` and `unload` the synchronous ones (7's `loadSync` and `unloadSync`).
 */
export const INVERSIFY_MAJOR: 7 | 8 = "unloadAsync" in Container.prototype ? 8 : 7;

type ModuleMethod = (...modules: ContainerModule[]) => unknown;

function method(container: Container, names: Record<7 | 8, string>): ModuleMethod {
  const name = names[INVERSIFY_MAJOR];
  const found = (container as unknown as Record<string, unknown>)[name];
  if (typeof found !== "function") throw new Error(`inversify ${INVERSIFY_MAJOR} has no Container.${name}`);
  return (found as ModuleMethod).bind(container);
}

/** Loads `module` and waits for it: 7's `load`, 8's `loadAsync`. */
export async function loadAsync(container: Container, module: ContainerModule): Promise<void> {
  await method(container, { 7: "load", 8: "loadAsync" })(module);
}

/** Loads `module` synchronously: 7's `loadSync`, 8's `load`. */
export function loadSync(container: Container, module: ContainerModule): void {
  method(container, { 7: "loadSync", 8: "load" })(module);
}

/** Unloads `module` and waits for its deactivations: 7's `unload`, 8's `unloadAsync`. */
export async function unloadAsync(container: Container, module: ContainerModule): Promise<void> {
  await method(container, { 7: "unload", 8: "unloadAsync" })(module);
}

/** Unloads `module` synchronously: 7's `unloadSync`, 8's `unload` (both refuse a deactivation that is async). */
export function unloadSync(container: Container, module: ContainerModule): void {
  method(container, { 7: "unloadSync", 8: "unload" })(module);
}
