import { randomBytes } from 'node:crypto';
import type { Logger } from '../logging/logger';
import { silentLogger } from '../logging/logger';
import { splitNul } from './listing';
import type { PodLocator } from './locator';
import { runScript } from './runner';
import { FileTarget, targetKey } from './uri';

/**
 * One poll of every watched path of a container, in one exec: `find -newer` against a stamp file
 * from two polls ago (busybox compares whole seconds, so one poll's overlap catches a change made
 * in the stamp's second; VS Code re-stats and ignores a repeat). Output, NUL-separated: `W root`
 * then the changed paths under it, or `G root` when the root is gone. Paths arrive as "depth:path"
 * arguments; nothing is spliced into the script. The first poll only lays the stamps.
 */
export const POLL_SCRIPT = `
s="\${HOME:-/tmp}/.cache/agent-sandbox/watch/$1"; shift
if [ ! -e "$s" ]; then mkdir -p "\${s%/*}" && : > "$s" && : > "$s.prev" && echo FIRST; exit; fi
: > "$s.new"
for a; do
  d=\${a%%:*}; p=\${a#*:}
  if [ ! -e "$p" ]; then printf 'G\\0%s\\0' "$p"; continue; fi
  printf 'W\\0%s\\0' "$p"
  if [ "$d" = r ]; then find "$p" -newer "$s.prev" -print0 2>/dev/null; else find "$p" -maxdepth "$d" -newer "$s.prev" -print0 2>/dev/null; fi
done
mv -f "$s" "$s.prev"; mv -f "$s.new" "$s"
`;

export type WatchChange = { kind: 'changed' | 'deleted'; path: string };

/** Parses POLL_SCRIPT's output into changes; only paths under a watched root are kept. */
export function parsePoll(out: Buffer, roots: Set<string>): WatchChange[] | 'first' {
  if (out.toString('latin1').startsWith('FIRST')) return 'first';
  const tokens = splitNul(out);
  const changes: WatchChange[] = [];
  let root: string | undefined;
  for (let i = 0, t = tokens[0]; t !== undefined; t = tokens[++i]) {
    const next = tokens[i + 1];
    if ((t === 'W' || t === 'G') && next !== undefined && roots.has(next)) {
      root = next;
      i++;
      if (t === 'G') {
        changes.push({ kind: 'deleted', path: root });
        root = undefined;
      }
      continue;
    }
    if (root && (t === root || t.startsWith(root.endsWith('/') ? root : `${root}/`))) changes.push({ kind: 'changed', path: t });
  }
  return changes;
}

interface Watched {
  target: FileTarget;
  path: string;
  recursive: boolean;
}

/**
 * Live files by polling: while anything is watched, one exec per container every interval checks
 * every watched path there (open editors' files, expanded folders). Nothing runs while nothing is
 * watched. A deleted root is reported once until it exists again.
 */
export class WatchPoller {
  private readonly watched = new Map<number, Watched>();
  private readonly stamps = new Map<string, string>();
  private readonly gone = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private busy = false;
  private next = 0;

  constructor(
    private readonly locator: PodLocator,
    private readonly onChanges: (target: FileTarget, changes: WatchChange[]) => void,
    private readonly intervalMs: () => number,
    private readonly log: Logger = silentLogger,
  ) {}

  watch(target: FileTarget, path: string, recursive: boolean): { dispose(): void } {
    const id = this.next++;
    this.watched.set(id, { target, path, recursive });
    this.schedule();
    return {
      dispose: () => {
        this.watched.delete(id);
        if (!this.watched.size) {
          clearTimeout(this.timer);
          this.timer = undefined;
        }
      },
    };
  }

  get watchedCount(): number {
    return this.watched.size;
  }

  private schedule(): void {
    const ms = this.intervalMs();
    if (this.timer || !this.watched.size || ms <= 0) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.pollAll().finally(() => this.schedule());
    }, ms);
    this.timer.unref?.();
  }

  /** One round: one exec per container with watched paths. Public for tests. */
  async pollAll(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      const byTarget = new Map<string, Watched[]>();
      for (const w of this.watched.values()) byTarget.set(targetKey(w.target), [...(byTarget.get(targetKey(w.target)) ?? []), w]);
      await Promise.all([...byTarget.entries()].map(([key, ws]) => this.poll(key, ws)));
    } finally {
      this.busy = false;
    }
  }

  private async poll(key: string, ws: Watched[]): Promise<void> {
    const target = ws[0]?.target;
    if (!target) return;
    const stamp = this.stamps.get(key) ?? randomBytes(6).toString('hex');
    this.stamps.set(key, stamp);
    const roots = new Set(ws.map((w) => w.path));
    const args = [...new Map(ws.map((w) => [w.path, `${w.recursive ? 'r' : 1}:${w.path}`])).values()];
    try {
      const pod = await this.locator.locate(target);
      const r = await runScript(pod, { script: POLL_SCRIPT, args: [stamp, ...args], maxStdout: 1024 * 1024, idleTimeoutMs: 15_000 });
      if (r.result.kind !== 'exited' || r.result.code !== 0) return;
      const parsed = parsePoll(r.stdout, roots);
      if (parsed === 'first') return;
      const fresh = parsed.filter((c) => {
        if (c.kind === 'deleted') {
          if (this.gone.has(`${key}\0${c.path}`)) return false;
          this.gone.add(`${key}\0${c.path}`);
          return true;
        }
        this.gone.delete(`${key}\0${c.path}`);
        return true;
      });
      for (const root of roots) if (!parsed.some((c) => c.kind === 'deleted' && c.path === root)) this.gone.delete(`${key}\0${root}`);
      if (fresh.length) this.onChanges(target, fresh);
    } catch (err) {
      // Hibernated, deleted, unreachable: the editor finds out on its next read; keep polling quietly.
      this.log.debug(`watch poll of ${key}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}
