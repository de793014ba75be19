/** Below this, a sandbox counts as in use rather than idle (terminal output arrives in bursts). */
export const IN_USE_MS = 60_000;

/** A duration in whole minutes, hours and days: "42 min", "2 h 5 min", "3 d 4 h". */
export function formatDuration(ms: number): string {
  const mins = Math.floor(Math.max(0, ms) / 60_000);
  if (mins < 60) return `${mins} min`;
  const hours = Math.floor(mins / 60);
  if (hours < 24) return mins % 60 ? `${hours} h ${mins % 60} min` : `${hours} h`;
  const days = Math.floor(hours / 24);
  return hours % 24 ? `${days} d ${hours % 24} h` : `${days} d`;
}

/** "in use" for the last minute, then "idle for 42 min". */
export function idleText(idleMs: number): string {
  return idleMs < IN_USE_MS ? 'in use' : `idle for ${formatDuration(idleMs)}`;
}

/** How long until the idle text changes (the next whole minute), so rows refresh no more often than they must. */
export function msUntilIdleTextChanges(idleMs: number): number {
  const ms = Math.max(0, idleMs);
  return 60_000 - (ms % 60_000);
}
