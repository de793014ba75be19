/**
 * When a long-lived exec (a terminal's shell kept by the session holder) comes back after its
 * connection broke, as a pure reducer: (state, event) → (state, effect). The driver (TerminalFlow)
 * performs the effect — connect, start a timer, or show why it stopped — and keeps the resume
 * point (the session id and byte offset, SessionLink). Outcomes are classified by codes.ts.
 */
import { backoffDelay } from '../k8s/clock';
import type { Verdict } from './codes';

export interface ReconnectConfig {
  /** First delay; each further attempt may wait twice as long, with full jitter, up to maxDelayMs. */
  minDelayMs: number;
  maxDelayMs: number;
  /** Reconnects after one loss before the user is asked (press Enter). */
  maxAttempts: number;
  /** A connection that stayed up this long was healthy: its loss starts a fresh count. */
  healthyMs: number;
  random: () => number;
}

export const DEFAULT_RECONNECT: ReconnectConfig = { minDelayMs: 1000, maxDelayMs: 10_000, maxAttempts: 5, healthyMs: 10_000, random: Math.random };

/** The default, scaled to a first delay of `stepMs` (waits grow to 10×). */
export function reconnectConfig(stepMs = DEFAULT_RECONNECT.minDelayMs, random: () => number = Math.random): ReconnectConfig {
  return { ...DEFAULT_RECONNECT, minDelayMs: stepMs, maxDelayMs: 10 * stepMs, random };
}

export type ReconnectPhase =
  | { kind: 'idle' }
  | { kind: 'connected'; since: number }
  | { kind: 'backoff'; delayMs: number }
  | { kind: 'reconnecting' }
  | { kind: 'given-up'; verdict: Verdict; exhausted: boolean }
  | { kind: 'disposed' };

export interface ReconnectState {
  phase: ReconnectPhase;
  /** Reconnects since the last healthy connection (or the user's retry). */
  attempt: number;
}

export type ReconnectEvent =
  | { type: 'connected'; at: number }
  /** The open connection ended; `resumable`: what ran there is still there to reconnect to. */
  | { type: 'lost'; at: number; verdict: Verdict; resumable: boolean }
  | { type: 'connect-failed'; verdict: Verdict }
  | { type: 'timer' }
  /** The user asked to try again (Enter). */
  | { type: 'retry' }
  /** Nothing to reconnect to any more (hibernated, deleted, stopped by the user). */
  | { type: 'stop' }
  | { type: 'dispose' };

export type ReconnectEffect =
  | { kind: 'none' }
  | { kind: 'connect' }
  | { kind: 'wait'; ms: number; attempt: number; verdict: Verdict }
  /** Retrying cannot help (credentials, RBAC, the pod gone…); the user may still try. */
  | { kind: 'give-up'; verdict: Verdict }
  /** Not retried on our own (the attempts are spent, or the user is watching this one): say why, wait for Enter. */
  | { kind: 'wait-for-user'; verdict: Verdict }
  | { kind: 'cancel' };

export type ReconnectResult = { state: ReconnectState; effect: ReconnectEffect };

export function initialReconnect(): ReconnectState {
  return { phase: { kind: 'idle' }, attempt: 0 };
}

const none = (state: ReconnectState): ReconnectResult => ({ state, effect: { kind: 'none' } });

export function reduceReconnect(s: ReconnectState, e: ReconnectEvent, cfg: ReconnectConfig = DEFAULT_RECONNECT): ReconnectResult {
  if (s.phase.kind === 'disposed') return none(s);
  switch (e.type) {
    case 'connected':
      return none({ phase: { kind: 'connected', since: e.at }, attempt: s.attempt });
    case 'lost': {
      const healthy = s.phase.kind === 'connected' && e.at - s.phase.since >= cfg.healthyMs;
      const attempt = healthy ? 0 : s.attempt;
      if (!e.resumable) return { state: { phase: { kind: 'idle' }, attempt }, effect: { kind: 'wait-for-user', verdict: e.verdict } };
      return decide(attempt, e.verdict, cfg);
    }
    case 'connect-failed':
      // Only a reconnect of our own is retried; a first open or the user's retry reports at once.
      if (s.phase.kind !== 'reconnecting')
        return { state: { phase: { kind: 'idle' }, attempt: s.attempt }, effect: { kind: 'wait-for-user', verdict: e.verdict } };
      return decide(s.attempt, e.verdict, cfg);
    case 'timer':
      if (s.phase.kind !== 'backoff') return none(s);
      return { state: { phase: { kind: 'reconnecting' }, attempt: s.attempt }, effect: { kind: 'connect' } };
    case 'retry':
      return { state: { phase: { kind: 'idle' }, attempt: 0 }, effect: { kind: 'connect' } };
    case 'stop':
      return { state: { phase: { kind: 'idle' }, attempt: s.attempt }, effect: s.phase.kind === 'backoff' ? { kind: 'cancel' } : { kind: 'none' } };
    case 'dispose':
      return { state: { phase: { kind: 'disposed' }, attempt: s.attempt }, effect: s.phase.kind === 'backoff' ? { kind: 'cancel' } : { kind: 'none' } };
  }
}

function decide(attempt: number, verdict: Verdict, cfg: ReconnectConfig): ReconnectResult {
  if (verdict.action === 'give-up') return { state: { phase: { kind: 'given-up', verdict, exhausted: false }, attempt }, effect: { kind: 'give-up', verdict } };
  if (attempt >= cfg.maxAttempts)
    return { state: { phase: { kind: 'given-up', verdict, exhausted: true }, attempt }, effect: { kind: 'wait-for-user', verdict } };
  const ms = reconnectDelay(attempt, cfg);
  return { state: { phase: { kind: 'backoff', delayMs: ms }, attempt: attempt + 1 }, effect: { kind: 'wait', ms, attempt: attempt + 1, verdict } };
}

/** Exponential with full jitter: attempt n waits between minDelayMs and min(maxDelayMs, minDelayMs·2ⁿ). */
export function reconnectDelay(attempt: number, cfg: Pick<ReconnectConfig, 'minDelayMs' | 'maxDelayMs' | 'random'>): number {
  return backoffDelay(attempt, cfg.minDelayMs, cfg.maxDelayMs, cfg.random);
}
