/** A live session as `as-session list` reports it (one JSON line each). Values come from the sandbox: untrusted. */
export interface LiveSession {
  id: string;
  started: number;
  lastOutput: number;
  /** The foreground command, '' when the shell waits at its prompt. */
  command: string;
  attached: boolean;
}

const ID = /^[A-Za-z0-9_-]{1,64}$/;

/** Parses `list` output; malformed lines are skipped, control characters dropped from the command. */
export function parseSessionList(text: string): LiveSession[] {
  const out: LiveSession[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    let o: Record<string, unknown>;
    try {
      o = JSON.parse(line) as Record<string, unknown>; // checked field by field below
    } catch {
      continue;
    }
    if (!o || typeof o !== 'object' || typeof o['id'] !== 'string' || !ID.test(o['id'])) continue;
    if (typeof o['started'] !== 'number' || typeof o['lastOutput'] !== 'number') continue;
    const command = typeof o['command'] === 'string' ? o['command'].replace(/[\x00-\x1f\x7f]/g, ' ').slice(0, 200) : '';
    out.push({ id: o['id'], started: o['started'], lastOutput: o['lastOutput'], command, attached: o['attached'] === true });
  }
  return out.sort((a, b) => a.started - b.started);
}

/** A new session id: 12 random hex digits (the holder accepts [A-Za-z0-9_-]{1,64}). */
export function newSessionId(random: (n: number) => Uint8Array): string {
  return Buffer.from(random(6)).toString('hex');
}
