import type { Clock } from '../k8s/clock';
import { ActivityRef, activityKey } from './activity';

export interface PolicyOptions {
  enabled: boolean;
  /** Idle this long (since the last activity this window saw) before the warning. */
  idleMs: number;
  /** Time between the warning and the hibernation ("Hibernating in 60 s"). */
  warnMs: number;
  /**
   * A deadline overshot by more than this means the machine slept (or the clock jumped) through
   * the warning: the user never saw the countdown, so it is shown again instead of hibernating.
   */
  jumpToleranceMs?: number;
  /** Longest timer; re-evaluating at least this often notices wall-clock jumps soon after a wake-up. */
  maxTimerMs?: number;
}

/** What the policy reads: which sandboxes this window used (already filtered to the active context) and when. */
export interface ActivitySource {
  used(): ActivityRef[];
  lastActivity(ref: ActivityRef): number | undefined;
  /** In use without traffic (an open terminal, forward, log stream, transfer): never idle meanwhile. */
  busy?(ref: ActivityRef): boolean;
}

export interface Inspection {
  running: boolean;
  /** When it last became Ready: idle time never counts from before a resume. */
  runningSince?: number | undefined;
}

export type WithdrawReason = 'activity' | 'keep-running' | 'not-running' | 'disabled' | 'gone';

/** Everything the policy does to the world, injected so the state machine is tested without a cluster or UI. */
export interface PolicyEffects {
  /** One read of the sandbox before warning (the live model may be paused while the view is hidden). */
  inspect(ref: ActivityRef): Promise<Inspection>;
  /** Show "idle for … — hibernating in N s" with Keep running. */
  warn(ref: ActivityRef, info: { idleMs: number; inMs: number }): void;
  /** The warning no longer applies. */
  withdraw(ref: ActivityRef, reason: WithdrawReason): void;
  /**
   * Hibernate now; resolves false when nothing was done (no longer running, or `send` said no).
   * `send()` is asked right before the patch goes out: false means Keep running, activity or a hold
   * came meanwhile, and the patch must not be sent.
   */
  hibernate(ref: ActivityRef, send: () => boolean): Promise<boolean>;
  /** It was hibernated automatically: say so. */
  hibernated(ref: ActivityRef, idleMs: number): void;
  failed(ref: ActivityRef, error: unknown): void;
  /** A sandbox's phase changed (the tree re-renders its auto-hibernated marker). */
  changed?(ref: ActivityRef): void;
}

export type Phase = 'watching' | 'checking' | 'warned' | 'hibernating' | 'stopped';

type Entry =
  // `stale`: an activity stamp to ignore (stamped before the clock went back, so it looks future).
  | { phase: 'watching'; ref: ActivityRef; baseline?: number; stale?: number | undefined }
  | { phase: 'checking'; ref: ActivityRef }
  // `lastSeen`: the activity stamp when the phase began; any other stamp means new activity.
  | { phase: 'warned'; ref: ActivityRef; warnedAt: number; deadline: number; lastSeen: number; idleSince: number }
  // `sent`: the suspend patch went out; from then on Keep running is too late.
  | { phase: 'hibernating'; ref: ActivityRef; idleSince: number; lastSeen: number; sent: boolean }
  | { phase: 'stopped'; ref: ActivityRef; lastSeen: number; auto: boolean };

/**
 * Auto-hibernate as a state machine over an injected clock. Per sandbox this window used:
 * watching → (idle past the threshold) checking → (still running) warned → (no activity, no
 * Keep running, deadline met on time) hibernating → stopped. Activity, Keep running, the
 * sandbox stopping, or the setting turning off each step back. Sandboxes the source does not
 * list (never used here) are never looked at.
 */
export class AutoHibernatePolicy {
  private readonly entries = new Map<string, Entry>();
  private timer: unknown;
  private disposed = false;
  private options: Required<PolicyOptions>;

  constructor(
    private readonly source: ActivitySource,
    private readonly effects: PolicyEffects,
    private readonly clock: Clock,
    options: PolicyOptions,
  ) {
    this.options = withDefaults(options);
  }

  setOptions(options: PolicyOptions): void {
    this.options = withDefaults(options);
    this.evaluate();
  }

  phase(ref: ActivityRef): Phase {
    return this.entries.get(activityKey(ref))?.phase ?? 'watching';
  }

  /** True for a sandbox this policy hibernated that has not run since. */
  isAutoHibernated(ref: ActivityRef): boolean {
    const e = this.entries.get(activityKey(ref));
    return e?.phase === 'stopped' && e.auto;
  }

  /**
   * The user chose Keep running: idle time starts over now. Honoured until the suspend patch is
   * sent; returns false when it came too late (hibernating or hibernated already).
   */
  keepRunning(ref: ActivityRef): boolean {
    const key = activityKey(ref);
    const e = this.entries.get(key);
    if ((e?.phase === 'hibernating' && e.sent) || e?.phase === 'stopped') return false;
    if (e?.phase === 'warned' || e?.phase === 'hibernating') this.effects.withdraw(e.ref, 'keep-running');
    this.entries.set(key, { phase: 'watching', ref: e?.ref ?? ref, baseline: this.clock.now() });
    this.evaluate();
    return true;
  }

  /** What the live model says about a used sandbox: running (Ready) or stopped (hibernated, expired…). */
  sandboxChanged(ref: ActivityRef, running: boolean): void {
    const key = activityKey(ref);
    const e = this.entries.get(key);
    if (e?.phase === 'hibernating') return; // our own hibernate in progress; its result decides
    if (running) {
      // Running again after being stopped (resumed): idle time counts from now.
      if (e?.phase === 'stopped') {
        this.entries.set(key, { phase: 'watching', ref: e.ref, baseline: this.clock.now() });
        this.effects.changed?.(e.ref);
        this.evaluate();
      }
      return;
    }
    if (e?.phase === 'stopped') return;
    if (e?.phase === 'warned') this.effects.withdraw(e.ref, 'not-running');
    this.entries.set(key, { phase: 'stopped', ref: e?.ref ?? ref, lastSeen: this.lastOf(ref), auto: false });
    this.evaluate();
  }

  /** Re-reads activity and the clock and acts; also what the timer calls. */
  evaluate(): void {
    if (this.disposed) return;
    this.clearTimer();
    const now = this.clock.now();
    const used = new Map(this.source.used().map((r) => [activityKey(r), r]));
    for (const [key, e] of this.entries) {
      if (used.has(key)) continue;
      if (e.phase === 'warned') this.effects.withdraw(e.ref, 'gone');
      this.entries.delete(key);
    }
    if (!this.options.enabled) {
      for (const [key, e] of this.entries) {
        if (e.phase === 'warned') this.effects.withdraw(e.ref, 'disabled');
        if (e.phase === 'warned' || e.phase === 'checking') this.entries.set(key, { phase: 'watching', ref: e.ref });
      }
      return;
    }
    let next = Infinity;
    for (const [key, ref] of used) {
      const due = this.step(key, ref, now);
      if (due !== undefined) next = Math.min(next, due);
    }
    if (next !== Infinity) {
      const delay = Math.min(Math.max(0, next - now), this.options.maxTimerMs);
      this.timer = this.clock.setTimeout(() => {
        this.timer = undefined;
        this.evaluate();
      }, delay);
    }
  }

  /** Advances one sandbox; returns when it next needs a look (undefined: only an event can move it). */
  private step(key: string, ref: ActivityRef, now: number): number | undefined {
    const e: Entry = this.entries.get(key) ?? { phase: 'watching', ref };
    const last = this.lastOf(ref);
    switch (e.phase) {
      case 'checking':
      case 'hibernating':
        return undefined;
      case 'stopped':
        // Used again after it stopped (a terminal resumed it): watch it anew.
        if (last === e.lastSeen) return undefined;
        this.entries.set(key, { phase: 'watching', ref: e.ref });
        this.effects.changed?.(e.ref);
        return this.step(key, ref, now);
      case 'warned':
        if (last !== e.lastSeen || this.busy(ref)) {
          this.effects.withdraw(e.ref, 'activity');
          this.entries.set(key, { phase: 'watching', ref: e.ref });
          return this.step(key, ref, now);
        }
        if (now < e.warnedAt || now - e.deadline > this.options.jumpToleranceMs) {
          // The clock went back, or the machine slept through the countdown: warn again in full.
          return this.warn(key, e.ref, now, e.idleSince, e.lastSeen);
        }
        if (now < e.deadline) return e.deadline;
        this.hibernate(key, e.ref, e.idleSince, e.lastSeen);
        return undefined;
      case 'watching': {
        // Held (an open terminal…): look again later; the release stamps the activity idle time counts from.
        if (this.busy(ref)) return now + this.options.idleMs;
        let stale = e.stale;
        let idleSince = Math.max(last === stale ? -Infinity : last, e.baseline ?? -Infinity);
        if (idleSince === -Infinity || idleSince > now) {
          // Never timed, or the clock went back past the last activity: count from now, not never.
          if (last > now) stale = last;
          this.entries.set(key, { phase: 'watching', ref: e.ref, baseline: now, stale });
          idleSince = now;
        }
        const due = idleSince + this.options.idleMs;
        if (now < due) return due;
        this.check(key, e.ref, idleSince, stale);
        return undefined;
      }
    }
  }

  private check(key: string, ref: ActivityRef, idleSince: number, stale: number | undefined): void {
    const entry: Entry = { phase: 'checking', ref };
    this.entries.set(key, entry);
    this.effects.inspect(ref).then(
      (r) => {
        if (this.entries.get(key) !== entry || this.disposed) return; // superseded (activity, disabled, stopped)
        const now = this.clock.now();
        const last = this.lastOf(ref);
        if (!r.running) {
          this.entries.set(key, { phase: 'stopped', ref, lastSeen: last, auto: false });
          return this.evaluate();
        }
        const since = Math.max(idleSince, last === stale ? -Infinity : last, Math.min(r.runningSince ?? -Infinity, now));
        if (now - since < this.options.idleMs || this.busy(ref)) {
          this.entries.set(key, { phase: 'watching', ref, baseline: since, stale });
          return this.evaluate();
        }
        this.warn(key, ref, now, since, last);
        this.evaluate();
      },
      (err: unknown) => this.failed(key, entry, ref, err),
    );
  }

  /** A failed read or hibernate: report it, then try again after another idle period rather than hammering a failing API server. */
  private failed(key: string, entry: Entry, ref: ActivityRef, err: unknown): void {
    if (this.entries.get(key) !== entry || this.disposed) return;
    this.effects.failed(ref, err);
    this.entries.set(key, { phase: 'watching', ref, baseline: this.clock.now() });
    this.evaluate();
  }

  private warn(key: string, ref: ActivityRef, now: number, idleSince: number, lastSeen: number): number {
    const deadline = now + this.options.warnMs;
    this.entries.set(key, { phase: 'warned', ref, warnedAt: now, deadline, lastSeen, idleSince });
    this.effects.warn(ref, { idleMs: now - idleSince, inMs: this.options.warnMs });
    return deadline;
  }

  private hibernate(key: string, ref: ActivityRef, idleSince: number, lastSeen: number): void {
    const entry: Entry = { phase: 'hibernating', ref, idleSince, lastSeen, sent: false };
    this.entries.set(key, entry);
    const send = (): boolean => {
      if (this.entries.get(key) !== entry || this.disposed) return false; // Keep running, stopped, gone
      const why = !this.options.enabled ? 'disabled' : this.lastOf(ref) !== lastSeen || this.busy(ref) ? 'activity' : undefined;
      if (why) {
        this.effects.withdraw(ref, why);
        this.entries.set(key, { phase: 'watching', ref });
        this.evaluate();
        return false;
      }
      entry.sent = true;
      return true;
    };
    this.effects.hibernate(ref, send).then(
      (done) => {
        if (this.entries.get(key) !== entry || this.disposed) return;
        const now = this.clock.now();
        this.entries.set(key, { phase: 'stopped', ref, lastSeen: this.lastOf(ref), auto: done });
        if (done) this.effects.hibernated(ref, now - idleSince);
        this.effects.changed?.(ref);
        this.evaluate();
      },
      (err: unknown) => this.failed(key, entry, ref, err),
    );
  }

  private busy(ref: ActivityRef): boolean {
    return this.source.busy?.(ref) ?? false;
  }

  private lastOf(ref: ActivityRef): number {
    return this.source.lastActivity(ref) ?? -Infinity;
  }

  private clearTimer(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  dispose(): void {
    this.disposed = true;
    this.clearTimer();
    for (const e of this.entries.values()) if (e.phase === 'warned') this.effects.withdraw(e.ref, 'gone');
    this.entries.clear();
  }
}

function withDefaults(o: PolicyOptions): Required<PolicyOptions> {
  return {
    enabled: o.enabled,
    idleMs: Math.max(1, o.idleMs),
    warnMs: Math.max(0, o.warnMs),
    jumpToleranceMs: o.jumpToleranceMs ?? 10_000,
    maxTimerMs: o.maxTimerMs ?? 60_000,
  };
}
