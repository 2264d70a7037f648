/** Times are kept as ms since the epoch and shown as ISO 8601 in UTC. */
export const iso = (ms: number) => new Date(ms).toISOString();
