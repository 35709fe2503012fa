import { chmod, mkdir, readlink, rename, rm, symlink, writeFile, lstat } from "node:fs/promises";
import { join } from "node:path";

let serial = 0;

/**
 * A Kubernetes secret volume as the kubelet's atomic writer keeps it:
 *
 * ```
 * key -> ..data/key
 * ..data -> ..2026_11_26_10_00_00.123456789
 * ..2026_11_26_10_00_00.123456789/key
 * ```
 *
 * Each `write` puts the new files into a fresh timestamped directory, points `..data_tmp` at it, renames
 * `..data_tmp` over `..data` (the one atomic step), adds the user-visible links that are missing, and removes the
 * previous timestamped directory: the same order as `AtomicWriter.Write`.
 */
export class KubernetesSecretVolume {
  constructor(
    readonly dir: string,
    readonly mode = 0o644,
  ) {}

  async write(files: Record<string, string>): Promise<void> {
    const data = join(this.dir, "..data");
    const previous = await readlink(data).catch(() => undefined);
    const stamped = `..${timestamp()}.${String(++serial).padStart(9, "0")}`;
    await mkdir(join(this.dir, stamped), { mode: 0o755 });
    for (const [name, content] of Object.entries(files)) {
      await writeFile(join(this.dir, stamped, name), content);
      await chmod(join(this.dir, stamped, name), this.mode);
    }
    await symlink(stamped, join(this.dir, "..data_tmp"));
    await rename(join(this.dir, "..data_tmp"), data);
    for (const name of Object.keys(files)) {
      const visible = join(this.dir, name);
      if (
        !(await lstat(visible).then(
          () => true,
          () => false,
        ))
      )
        await symlink(join("..data", name), visible);
    }
    if (previous !== undefined) await rm(join(this.dir, previous), { recursive: true, force: true });
  }
}

/** `2026_11_26_10_00_00`, the kubelet's `..2006_01_02_15_04_05` layout, in UTC. */
function timestamp(): string {
  const iso = new Date().toISOString();
  return `${iso.slice(0, 10).replaceAll("-", "_")}_${iso.slice(11, 19).replaceAll(":", "_")}`;
}
