/** How many active resources (sockets, servers, timers, …) of each kind the process holds. */
export type ResourceCounts = Record<string, number>;

/** The process's active resources, counted by kind (`TCPSocketWrap`, `TCPServerWrap`, `Timeout`, …). */
export function activeResources(): ResourceCounts {
  const counts: ResourceCounts = {};
  for (const kind of process.getActiveResourcesInfo()) counts[kind] = (counts[kind] ?? 0) + 1;
  return counts;
}

/** The kinds `after` holds more of than `before`, with how many more: what a run left behind. */
export function leftBehind(before: ResourceCounts, after: ResourceCounts): ResourceCounts {
  const extra: ResourceCounts = {};
  for (const [kind, count] of Object.entries(after)) {
    const more = count - (before[kind] ?? 0);
    if (more > 0) extra[kind] = more;
  }
  return extra;
}
