// Test doubles for the finops state machines: a clock the test moves (with a "sleep" that moves
// wall time without running timers, as a suspended laptop does) and recording policy effects.
import type { Clock } from '../../../src/core/k8s/clock';
import type { ActivityRef } from '../../../src/core/finops/activity';
import type { Inspection, PolicyEffects, WithdrawReason } from '../../../src/core/finops/autoHibernatePolicy';

export class FakeClock implements Clock {
  t = Date.parse('2026-11-28T12:00:00Z');
  private timers: { at: number; fn: () => void; id: number }[] = [];
  private nextId = 1;
  now(): number {
    return this.t;
  }
  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.timers.push({ at: this.t + ms, fn, id });
    return id;
  }
  clearTimeout(h: unknown): void {
    this.timers = this.timers.filter((x) => x.id !== h);
  }
  get pendingTimers(): number {
    return this.timers.length;
  }
  /** Time passes normally: due timers run in order. */
  advance(ms: number): void {
    const end = this.t + ms;
    for (;;) {
      const due = this.timers.filter((x) => x.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.timers = this.timers.filter((x) => x !== due);
      this.t = Math.max(this.t, due.at);
      due.fn();
    }
    this.t = end;
  }
  /**
   * The wall clock jumps (laptop sleep, NTP): timers are monotonic, so none becomes due; each
   * pending one keeps its remaining delay from now.
   */
  jump(ms: number): void {
    this.t += ms;
    for (const x of this.timers) x.at += ms;
  }
}

export const flush = () => new Promise<void>((r) => setImmediate(r));

/** Lets time pass in steps, letting promise callbacks (inspect, hibernate) run between them. */
export async function pass(clock: FakeClock, ms: number, step = 1000): Promise<void> {
  for (let done = 0; done < ms; done += step) {
    clock.advance(Math.min(step, ms - done));
    await flush();
  }
}

export type EffectCall =
  | { kind: 'inspect'; ref: ActivityRef }
  | { kind: 'warn'; ref: ActivityRef; idleMs: number; inMs: number; at: number }
  | { kind: 'withdraw'; ref: ActivityRef; reason: WithdrawReason }
  | { kind: 'hibernate'; ref: ActivityRef; at: number }
  | { kind: 'sent'; ref: ActivityRef }
  | { kind: 'hibernated'; ref: ActivityRef; idleMs: number }
  | { kind: 'failed'; ref: ActivityRef; error: unknown };

/** Records every effect; inspect and hibernate answer from settable fields. */
export class RecordingEffects implements PolicyEffects {
  calls: EffectCall[] = [];
  inspection: Inspection | (() => Promise<Inspection>) = { running: true };
  hibernateResult: boolean | Error = true;
  /** Resolved by the test: the moment between the last re-read and sending the patch. */
  beforeSend: Promise<void> | undefined;
  /** Resolved by the test: the patch is sent, the sandbox not yet hibernated. */
  afterSend: Promise<void> | undefined;
  constructor(private readonly clock: FakeClock) {}
  of<K extends EffectCall['kind']>(kind: K): Extract<EffectCall, { kind: K }>[] {
    return this.calls.filter((c): c is Extract<EffectCall, { kind: K }> => c.kind === kind);
  }
  inspect(ref: ActivityRef): Promise<Inspection> {
    this.calls.push({ kind: 'inspect', ref });
    return typeof this.inspection === 'function' ? this.inspection() : Promise.resolve(this.inspection);
  }
  warn(ref: ActivityRef, info: { idleMs: number; inMs: number }): void {
    this.calls.push({ kind: 'warn', ref, ...info, at: this.clock.now() });
  }
  withdraw(ref: ActivityRef, reason: WithdrawReason): void {
    this.calls.push({ kind: 'withdraw', ref, reason });
  }
  async hibernate(ref: ActivityRef, send: () => boolean): Promise<boolean> {
    this.calls.push({ kind: 'hibernate', ref, at: this.clock.now() });
    await this.beforeSend;
    if (!send()) return false;
    this.calls.push({ kind: 'sent', ref });
    await this.afterSend;
    if (this.hibernateResult instanceof Error) throw this.hibernateResult;
    return this.hibernateResult;
  }
  hibernated(ref: ActivityRef, idleMs: number): void {
    this.calls.push({ kind: 'hibernated', ref, idleMs });
  }
  failed(ref: ActivityRef, error: unknown): void {
    this.calls.push({ kind: 'failed', ref, error });
  }
}
