import type { Container, ContainerModule } from "inversify";

/** inversify 7's `Container`, whose `unload` is the asynchronous one (8 calls it `unloadAsync`). */
interface Inversify7Container {
  unload(...modules: ContainerModule[]): Promise<void>;
}

/**
 * Unloads `module` and waits until what it bound is closed (the OnceHub client and its key provider): the
 * asynchronous unload, `unloadAsync` on inversify 8 and `unload` on inversify 7. An app on one major calls its
 * method directly; this app runs on either, and its test starts it with each.
 *
 * @param container - The app's container.
 * @param module - A module it loaded.
 * @example
 * ```ts
 * await unloadAndClose(container, oncekey);
 * ```
 */
export async function unloadAndClose(container: Container, module: ContainerModule): Promise<void> {
  if ("unloadAsync" in container) {
    await container.unloadAsync(module);
  } else {
    await (container as Inversify7Container).unload(module);
  }
}
