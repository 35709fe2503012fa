/** How many rotations are remembered to report each once. */
const REMEMBERED = 1_000;

/**
 * Remembers the key rotations a client tree has reported, so hundreds of requests that all saw the same key
 * rejected and replaced yield one `key:rotated` event.
 */
export class RotationLog {
  readonly #seen = new Set<string>();

  /** True the first time this rotation (tenant, old key, new key) is seen. */
  first(tenant: string | undefined, previous: string, next: string): boolean {
    const id = `${tenant ?? ""}\n${previous}\n${next}`;
    if (this.#seen.has(id)) return false;
    if (this.#seen.size >= REMEMBERED) {
      const oldest = this.#seen.values().next().value;
      if (oldest !== undefined) this.#seen.delete(oldest);
    }
    this.#seen.add(id);
    return true;
  }
}
