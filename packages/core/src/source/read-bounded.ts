import type { FileHandle } from "node:fs/promises";

/**
 * Reads an open file from its start, up to `limit` bytes: a file that grows while it is read (a log put where the
 * key file belongs, `/dev/zero` behind a link) cannot make the read unbounded. Read one byte more than a size
 * limit allows to tell a file at the limit from a larger one.
 *
 * @param handle - The open file.
 * @param limit - The most bytes to read.
 * @returns The bytes read, at most `limit`.
 * @example
 * ```ts
 * const bytes = await readBounded(handle, maxBytes + 1);
 * if (bytes.length > maxBytes) throw new KeyFormatError(`The key file is more than ${maxBytes} bytes.`);
 * ```
 */
export async function readBounded(handle: FileHandle, limit: number): Promise<Buffer> {
  const buffer = Buffer.alloc(limit);
  let length = 0;
  while (length < limit) {
    const { bytesRead } = await handle.read(buffer, length, limit - length, length);
    if (bytesRead === 0) break;
    length += bytesRead;
  }
  return buffer.subarray(0, length);
}
