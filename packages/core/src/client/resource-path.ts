/**
 * `collection/<id>` with the id percent-encoded, so an id can never change the path.
 *
 * @param collection - e.g. `/bookings`.
 * @param id - The object's id.
 * @throws TypeError for an id that is not a non-empty string.
 */
export function resourcePath(collection: string, id: string): string {
  if (typeof id !== "string" || id === "") {
    throw new TypeError(`An OnceHub id must be a non-empty string, got ${id === "" ? '""' : typeof id}.`);
  }
  return `${collection}/${encodeURIComponent(id)}`;
}
