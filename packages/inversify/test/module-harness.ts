import { afterEach } from "@jest/globals";
import type { KeyProvider } from "@oncekey/core";
import { Container } from "inversify";
import type { OnceKeyModule } from "../src/index.js";
import { loadAsync, unloadAsync } from "./inversify-major.js";

/** Loads modules into fresh containers and unloads every one (waiting for its services to close) after each test. */
export function useContainers(): {
  load(module: OnceKeyModule): Promise<Container>;
  /** Unloads `module` from `container` after the test (for a container the test loaded itself). */
  track(container: Container, module: OnceKeyModule): void;
} {
  const loaded: [Container, OnceKeyModule][] = [];
  afterEach(async () => {
    for (const [container, module] of loaded.splice(0)) await unloadAsync(container, module);
  });
  return {
    async load(module) {
      const container = new Container();
      await loadAsync(container, module);
      loaded.push([container, module]);
      return container;
    },
    track(container, module) {
      loaded.push([container, module]);
    },
  };
}

/** Counts what a provider is asked and whether it was closed. */
export function counting(inner: KeyProvider): KeyProvider & { reads: number; closes: number } {
  const provider = {
    name: "counting",
    reads: 0,
    closes: 0,
    getKey: (request?: Parameters<KeyProvider["getKey"]>[0]) => {
      provider.reads++;
      return inner.getKey(request);
    },
    close: async () => {
      provider.closes++;
    },
  };
  return provider;
}
