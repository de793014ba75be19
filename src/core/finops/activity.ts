import { Clock, systemClock } from '../k8s/clock';
import { Logger, silentLogger } from '../logging/logger';

/** Which sandbox: the same three fields terminal and file targets already carry, so those can be passed as they are. */
export interface ActivityRef {
  context: string;
  namespace: string;
  sandbox: string;
}

export type ActivityKind = 'terminal-input' | 'terminal-output' | 'file-read' | 'file-write' | 'port-forward' | 'agent-tool';

export interface ActivityRecord {
  /** When this window last saw activity (clock ms). */
  at: number;
  kind: ActivityKind;
  /** When this window first used the sandbox. */
  firstAt: number;
}

export function activityKey(ref: ActivityRef): string {
  return `${ref.context}\u0000${ref.namespace}\u0000${ref.sandbox}`;
}

/**
 * The last activity this window saw per sandbox. `touch` runs on every terminal chunk and
 * forwarded packet, so it only stores a timestamp; listeners hear about a sandbox only when it
 * is first used or becomes active after being quiet for `quietMs`, never on every byte.
 */
export class ActivityTracker {
  private readonly records = new Map<string, ActivityRecord & { ref: ActivityRef }>();
  private readonly listeners = new Set<(ref: ActivityRef) => void>();
  private readonly clock: Clock;
  private readonly quietMs: number;
  private readonly log: Logger;

  constructor(options: { clock?: Clock; quietMs?: number; log?: Logger } = {}) {
    this.clock = options.clock ?? systemClock;
    this.quietMs = options.quietMs ?? 60_000;
    this.log = options.log ?? silentLogger;
  }

  touch(ref: ActivityRef, kind: ActivityKind): void {
    const key = activityKey(ref);
    const now = this.clock.now();
    const rec = this.records.get(key);
    if (rec) {
      const wasQuiet = now - rec.at >= this.quietMs || now < rec.at;
      rec.at = now;
      rec.kind = kind;
      if (wasQuiet) this.emit(rec.ref);
      return;
    }
    // Copy the three fields: callers pass richer objects (terminal targets) that must not be retained.
    const own = { context: ref.context, namespace: ref.namespace, sandbox: ref.sandbox };
    this.records.set(key, { ref: own, at: now, kind, firstAt: now });
    this.emit(own);
  }

  lastActivity(ref: ActivityRef): ActivityRecord | undefined {
    const r = this.records.get(activityKey(ref));
    return r && { at: r.at, kind: r.kind, firstAt: r.firstAt };
  }

  /** Milliseconds since the last activity, or undefined for a sandbox this window never used. */
  idleMs(ref: ActivityRef): number | undefined {
    const r = this.records.get(activityKey(ref));
    return r && Math.max(0, this.clock.now() - r.at);
  }

  usedByThisWindow(ref: ActivityRef): boolean {
    return this.records.has(activityKey(ref));
  }

  /** Every sandbox this window used, optionally only those of one context. */
  used(context?: string): ActivityRef[] {
    const out: ActivityRef[] = [];
    for (const r of this.records.values()) if (context === undefined || r.ref.context === context) out.push(r.ref);
    return out;
  }

  /** Drops a sandbox (it was deleted): it is no longer "used by this window". */
  forget(ref: ActivityRef): void {
    if (this.records.delete(activityKey(ref))) this.emit(ref);
  }

  onDidChange(listener: (ref: ActivityRef) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  private emit(ref: ActivityRef): void {
    for (const l of [...this.listeners]) {
      // A listener's failure must not break the terminal, file or forward that reported activity.
      try {
        l(ref);
      } catch (err) {
        this.log.error(`activity listener failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  }
}
