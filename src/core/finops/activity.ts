import { Clock, systemClock } from '../k8s/clock';
import { Logger, silentLogger } from '../logging/logger';

/** Which sandbox: the same three fields terminal and file targets already carry, so those can be passed as they are. */
export interface ActivityRef {
  context: string;
  namespace: string;
  sandbox: string;
}

export type ActivityKind =
  | 'terminal-input'
  | 'terminal-output'
  | 'file-read'
  | 'file-write'
  | 'port-forward'
  | 'agent-tool'
  | 'terminal-open'
  | 'command'
  | 'forward-open'
  | 'log-stream';

export interface ActivityRecord {
  /** When this window last saw activity (clock ms). */
  at: number;
  kind: ActivityKind;
  /** When this window first used the sandbox. */
  firstAt: number;
  /** The sandbox's metadata.uid when it was used, where known: a sandbox recreated under the name is another one. */
  uid?: string | undefined;
}

export function activityKey(ref: ActivityRef): string {
  return `${ref.context}\u0000${ref.namespace}\u0000${ref.sandbox}`;
}

type Entry = ActivityRecord & { ref: ActivityRef };

/**
 * The last activity this window saw per sandbox. `touch` runs on every terminal chunk and
 * forwarded packet, so it only stores a timestamp; listeners hear about a sandbox only when it
 * is first used or becomes active after being quiet for `quietMs`, never on every byte.
 *
 * A `hold` is use that makes no traffic (a silent open terminal, an idle forward, a log panel, a
 * long upload): while any is held the sandbox is never idle. Records are keyed by name but carry
 * the sandbox's UID (`uidOf`, from the live model): one deleted and recreated under the same name
 * was not used by this window.
 */
export class ActivityTracker {
  private readonly records = new Map<string, Entry>();
  private readonly holds = new Map<string, Set<object>>();
  private readonly listeners = new Set<(ref: ActivityRef) => void>();
  private readonly clock: Clock;
  private readonly quietMs: number;
  private readonly log: Logger;
  private readonly uidOf: (ref: ActivityRef) => string | undefined;

  constructor(options: { clock?: Clock; quietMs?: number; log?: Logger; uidOf?: (ref: ActivityRef) => string | undefined } = {}) {
    this.clock = options.clock ?? systemClock;
    this.quietMs = options.quietMs ?? 60_000;
    this.log = options.log ?? silentLogger;
    this.uidOf = options.uidOf ?? (() => undefined);
  }

  /** In use until disposed (disposing twice is once). Taking and releasing it count as touches. */
  hold(ref: ActivityRef, kind: ActivityKind): { dispose(): void } {
    const key = activityKey(ref);
    const own = { context: ref.context, namespace: ref.namespace, sandbox: ref.sandbox };
    const token = {};
    const set = this.holds.get(key) ?? new Set<object>();
    set.add(token);
    this.holds.set(key, set);
    this.touch(own, kind);
    return {
      dispose: () => {
        // A hold dropped by forget() (the sandbox was deleted) is gone already.
        if (!set.delete(token)) return;
        if (set.size === 0 && this.holds.get(key) === set) this.holds.delete(key);
        // Idle time counts from the release.
        this.touch(own, kind);
      },
    };
  }

  isHeld(ref: ActivityRef): boolean {
    return this.holds.has(activityKey(ref));
  }

  /** True when the record is of another sandbox than the one with this UID (deleted and recreated since). */
  isReplaced(ref: ActivityRef, uid: string | undefined): boolean {
    const r = this.records.get(activityKey(ref));
    return !!(r?.uid && uid && r.uid !== uid);
  }

  touch(ref: ActivityRef, kind: ActivityKind): void {
    const key = activityKey(ref);
    const now = this.clock.now();
    const uid = this.uidOf(ref);
    const rec = this.records.get(key);
    if (rec && !(rec.uid && uid && rec.uid !== uid)) {
      const wasQuiet = now - rec.at >= this.quietMs || now < rec.at;
      rec.at = now;
      rec.kind = kind;
      rec.uid ??= uid;
      if (wasQuiet) this.emit(rec.ref);
      return;
    }
    // Copy the three fields: callers pass richer objects (terminal targets) that must not be retained.
    const own = { context: ref.context, namespace: ref.namespace, sandbox: ref.sandbox };
    this.records.set(key, { ref: own, at: now, kind, firstAt: now, ...(uid ? { uid } : {}) });
    this.emit(own);
  }

  /** The record of this sandbox, unless it is of one with the same name that was replaced since. */
  private live(ref: ActivityRef): Entry | undefined {
    const r = this.records.get(activityKey(ref));
    if (!r?.uid) return r;
    const uid = this.uidOf(r.ref);
    return uid && uid !== r.uid ? undefined : r;
  }

  lastActivity(ref: ActivityRef): ActivityRecord | undefined {
    const r = this.live(ref);
    return r && { at: r.at, kind: r.kind, firstAt: r.firstAt, ...(r.uid ? { uid: r.uid } : {}) };
  }

  /** Milliseconds since the last activity (0 while held), or undefined for a sandbox this window never used. */
  idleMs(ref: ActivityRef): number | undefined {
    const r = this.live(ref);
    if (!r) return undefined;
    return this.isHeld(ref) ? 0 : Math.max(0, this.clock.now() - r.at);
  }

  usedByThisWindow(ref: ActivityRef): boolean {
    return this.live(ref) !== undefined;
  }

  /** Every sandbox this window used, optionally only those of one context. */
  used(context?: string): ActivityRef[] {
    const out: ActivityRef[] = [];
    for (const r of this.records.values()) if ((context === undefined || r.ref.context === context) && this.live(r.ref)) out.push(r.ref);
    return out;
  }

  /** Drops a sandbox (it was deleted): it is no longer "used by this window". */
  forget(ref: ActivityRef): void {
    this.holds.get(activityKey(ref))?.clear();
    this.holds.delete(activityKey(ref));
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
