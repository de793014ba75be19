/**
 * The log stream's reconnection logic as a pure reducer: (state, event) → (state, effects). The
 * driver (logFollower.ts) performs the effects (open/close the HTTP stream, timers, output), so
 * every path — pod restart, hibernate and resume, a dropped connection, a permission error — is
 * unit-tested without a cluster or real time.
 */
import { backoffDelay } from '../k8s/clock';

export interface LogOptions {
  follow: boolean;
  /** Show the kubelet's timestamps; they are always requested (they are the resume point). */
  timestamps: boolean;
  tailLines?: number | undefined;
  sinceSeconds?: number | undefined;
  container?: string | undefined;
}

/** What the pod watch says about the sandbox's pod. */
export interface PodInfo {
  name: string;
  uid: string;
  /** The container has (or had) a process, so the kubelet can serve its log. */
  loggable: boolean;
  restarts: number;
  deleting: boolean;
}

export type SandboxPhase = 'active' | 'hibernating' | 'hibernated' | 'gone';

export interface StreamQuery {
  follow: boolean;
  timestamps: true;
  tailLines?: number;
  sinceSeconds?: number;
  sinceTime?: string;
}

export type LogEffect =
  | {
      type: 'open';
      pod: string;
      uid: string;
      container?: string | undefined;
      query: StreamQuery;
      /** Drop lines at or before this timestamp (a resumed stream repeats its last second). */ skipThrough?: string | undefined;
    }
  | { type: 'close' }
  | { type: 'marker'; text: string; tone: 'info' | 'warning' | 'error' }
  | { type: 'schedule'; ms: number }
  | { type: 'cancelTimer' }
  | { type: 'clear' };

export type LogEvent =
  | { type: 'start' }
  | { type: 'pod'; pod: PodInfo | undefined }
  | { type: 'sandbox'; phase: SandboxPhase }
  | { type: 'opened'; at: number }
  | { type: 'line'; timestamp: string }
  | { type: 'ended'; at: number; error?: { message: string; retryable: boolean } | undefined }
  | { type: 'timer' }
  | { type: 'reconnectNow' }
  | { type: 'options'; options: LogOptions }
  | { type: 'stop' };

export type Phase =
  | { kind: 'idle' }
  | { kind: 'waiting'; reason: string }
  | { kind: 'connecting'; pod: string }
  | { kind: 'streaming'; pod: string; since: number }
  | { kind: 'backoff'; pod: string; delayMs: number; reason: string }
  | { kind: 'ended' }
  | { kind: 'failed'; message: string }
  | { kind: 'stopped' };

export interface LogState {
  phase: Phase;
  options: LogOptions;
  pod?: PodInfo | undefined;
  sandbox: SandboxPhase;
  /** The pod whose log we have shown, and the last timestamp shown from it. */
  shownUid?: string | undefined;
  lastTimestamp?: string | undefined;
  /** No line of this options session has been requested yet: the user's tail/since apply. */
  fresh: boolean;
  attempt: number;
  /** The failure last shown as a marker; the same failure again only updates the status line. */
  lastError?: string | undefined;
}

export interface MachineConfig {
  minBackoffMs: number;
  maxBackoffMs: number;
  random: () => number;
  /** A stream that ends sooner than this after opening counts as a failed attempt (no hot loop). */
  minHealthyMs: number;
  /**
   * For the driver: a follow silent this long is re-opened from the last line shown (HTTP/1.1 has
   * no ping, so a dead connection and a quiet container look alike); no headers within it is a failure.
   */
  streamInactivityMs?: number;
}

export const DEFAULT_MACHINE_CONFIG: MachineConfig = {
  minBackoffMs: 1000,
  maxBackoffMs: 30_000,
  random: Math.random,
  minHealthyMs: 2000,
  streamInactivityMs: 25_000,
};

export function initialLogState(options: LogOptions): LogState {
  return { phase: { kind: 'idle' }, options, sandbox: 'active', fresh: true, attempt: 0 };
}

type Result = { state: LogState; effects: LogEffect[] };

function short(uid: string): string {
  return uid.slice(0, 8);
}

/** RFC3339(Nano) timestamps compared as instants (string order is wrong: Go trims trailing zeros). */
export function compareTimestamps(a: string, b: string): number {
  const parse = (s: string): [number, number] => {
    const m = /^(.*?)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$/.exec(s);
    if (!m) return [Date.parse(s) || 0, 0];
    const secs = Date.parse(`${m[1]}${m[3]}`);
    const nanos = m[2] ? Number(m[2].padEnd(9, '0').slice(0, 9)) : 0;
    return [Number.isNaN(secs) ? 0 : secs, nanos];
  };
  const [as, an] = parse(a);
  const [bs, bn] = parse(b);
  return as !== bs ? as - bs : an - bn;
}

function waitingReason(s: LogState): string {
  if (s.sandbox === 'hibernated' || s.sandbox === 'hibernating') return 'The sandbox is hibernated; the log continues when it resumes.';
  if (s.sandbox === 'gone') return 'The sandbox was deleted.';
  if (s.pod && !s.pod.loggable) return `Pod ${s.pod.name} is starting…`;
  return "Waiting for the sandbox's pod…";
}

/** Opens a stream to the current pod, choosing where to start reading. */
function connect(s: LogState): Result {
  const pod = s.pod as PodInfo;
  const o = s.options;
  const query: StreamQuery = { follow: o.follow, timestamps: true };
  let skipThrough: string | undefined;
  if (s.shownUid === pod.uid && s.lastTimestamp) {
    // Same pod again (dropped connection, container restart): continue after the last line shown.
    query.sinceTime = s.lastTimestamp;
    skipThrough = s.lastTimestamp;
  } else if (s.fresh || s.shownUid === pod.uid) {
    if (o.tailLines !== undefined) query.tailLines = o.tailLines;
    if (o.sinceSeconds !== undefined) query.sinceSeconds = o.sinceSeconds;
  }
  // else: a new pod (resume, re-creation) — read all of it, nothing of it was shown yet.
  const next: LogState = { ...s, phase: { kind: 'connecting', pod: pod.name } };
  if (s.shownUid !== pod.uid) {
    next.lastTimestamp = undefined;
  }
  return { state: next, effects: [{ type: 'open', pod: pod.name, uid: pod.uid, container: o.container, query, skipThrough }] };
}

function toWaiting(s: LogState, effects: LogEffect[]): Result {
  return { state: { ...s, phase: { kind: 'waiting', reason: waitingReason(s) } }, effects };
}

function isOpen(p: Phase): p is Extract<Phase, { kind: 'connecting' | 'streaming' }> {
  return p.kind === 'connecting' || p.kind === 'streaming';
}

function canStream(s: LogState): boolean {
  return !!s.pod && s.pod.loggable && !s.pod.deleting && s.sandbox !== 'gone';
}

export function reduceLog(s: LogState, e: LogEvent, cfg: MachineConfig = DEFAULT_MACHINE_CONFIG): Result {
  if (s.phase.kind === 'stopped') return { state: s, effects: [] };
  switch (e.type) {
    case 'start':
      if (s.phase.kind !== 'idle') return { state: s, effects: [] };
      return canStream(s) ? connect(s) : toWaiting(s, []);

    case 'stop': {
      const effects: LogEffect[] = [];
      if (isOpen(s.phase)) effects.push({ type: 'close' });
      if (s.phase.kind === 'backoff') effects.push({ type: 'cancelTimer' });
      return { state: { ...s, phase: { kind: 'stopped' } }, effects };
    }

    case 'sandbox': {
      const next: LogState = { ...s, sandbox: e.phase };
      if (e.phase === 'gone' && s.phase.kind !== 'idle' && s.phase.kind !== 'ended') {
        const effects: LogEffect[] = isOpen(s.phase) ? [{ type: 'close' }] : s.phase.kind === 'backoff' ? [{ type: 'cancelTimer' }] : [];
        effects.push({ type: 'marker', text: 'The sandbox was deleted.', tone: 'warning' });
        return { state: { ...next, phase: { kind: 'ended' } }, effects };
      }
      if (s.phase.kind === 'waiting') return toWaiting(next, []);
      return { state: next, effects: [] };
    }

    case 'pod':
      return onPod(s, e.pod);

    case 'opened':
      if (s.phase.kind !== 'connecting') return { state: s, effects: [] };
      return {
        state: { ...s, phase: { kind: 'streaming', pod: s.phase.pod, since: e.at }, shownUid: s.pod?.uid ?? s.shownUid, fresh: false, lastError: undefined },
        effects: [],
      };

    case 'line':
      if (!s.lastTimestamp || compareTimestamps(e.timestamp, s.lastTimestamp) > 0) return { state: { ...s, lastTimestamp: e.timestamp }, effects: [] };
      return { state: s, effects: [] };

    case 'ended':
      return onEnded(s, e, cfg);

    case 'timer':
      if (s.phase.kind !== 'backoff') return { state: s, effects: [] };
      return canStream(s) ? connect(s) : toWaiting(s, []);

    case 'reconnectNow': {
      if (!canStream(s) || isOpen(s.phase)) return { state: s, effects: [] };
      const effects: LogEffect[] = s.phase.kind === 'backoff' ? [{ type: 'cancelTimer' }] : [];
      const r = connect({ ...s, attempt: 0 });
      return { state: r.state, effects: [...effects, ...r.effects] };
    }

    case 'options': {
      const effects: LogEffect[] = [];
      if (isOpen(s.phase)) effects.push({ type: 'close' });
      if (s.phase.kind === 'backoff') effects.push({ type: 'cancelTimer' });
      effects.push({ type: 'clear' });
      const reset: LogState = { ...s, options: e.options, shownUid: undefined, lastTimestamp: undefined, fresh: true, attempt: 0 };
      if (s.phase.kind === 'idle') return { state: reset, effects: [] };
      const r = canStream(reset) ? connect(reset) : toWaiting(reset, []);
      return { state: r.state, effects: [...effects, ...r.effects] };
    }
  }
}

function onPod(s: LogState, pod: PodInfo | undefined): Result {
  const prev = s.pod;
  const next: LogState = { ...s, pod };
  if (s.phase.kind === 'idle' || s.phase.kind === 'ended' || s.phase.kind === 'failed') return { state: next, effects: [] };
  const effects: LogEffect[] = [];
  let open = isOpen(s.phase);
  let backoff = s.phase.kind === 'backoff';

  // The pod we were reading is gone or replaced (hibernate, delete, eviction): close it.
  if (!pod || (prev && pod.uid !== prev.uid && (open || backoff))) {
    if (open) effects.push({ type: 'close' });
    if (backoff) effects.push({ type: 'cancelTimer' });
    if (prev && (open || backoff)) effects.push(stoppedMarker(s, prev));
    open = false;
    backoff = false;
    if (!pod) return toWaiting(next, effects);
  }
  const p = pod;
  if (prev && prev.uid === p.uid && p.restarts > prev.restarts) {
    effects.push({ type: 'marker', text: `Container restarted (restart ${p.restarts}).`, tone: 'warning' });
  }
  // Keep reading a pod that is shutting down: a real kubelet ends the stream when the container exits.
  if (open || backoff) return { state: next, effects };
  if (p.deleting || !p.loggable) return toWaiting(next, effects);
  if (s.shownUid && s.shownUid !== p.uid) {
    effects.push({ type: 'marker', text: `New pod ${p.name} (${short(p.uid)}): the sandbox resumed or its pod was re-created.`, tone: 'info' });
  }
  const r = connect({ ...next, attempt: 0 });
  return { state: r.state, effects: [...effects, ...r.effects] };
}

/** The divider shown when the pod we read stops, worded for why. */
function stoppedMarker(s: LogState, pod: PodInfo): LogEffect {
  if (s.sandbox === 'hibernating' || s.sandbox === 'hibernated')
    return { type: 'marker', text: `Sandbox hibernated: pod ${pod.name} stopped. Waiting for it to resume…`, tone: 'info' };
  if (s.sandbox === 'gone') return { type: 'marker', text: 'The sandbox was deleted.', tone: 'warning' };
  return { type: 'marker', text: `Pod ${pod.name} (${short(pod.uid)}) stopped.`, tone: 'info' };
}

function onEnded(s: LogState, e: Extract<LogEvent, { type: 'ended' }>, cfg: MachineConfig): Result {
  if (!isOpen(s.phase)) return { state: s, effects: [] };
  const podName = s.phase.pod;
  if (!s.options.follow && !e.error) return { state: { ...s, phase: { kind: 'ended' } }, effects: [] };
  if (e.error && !e.error.retryable) {
    return { state: { ...s, phase: { kind: 'failed', message: e.error.message } }, effects: [{ type: 'marker', text: e.error.message, tone: 'error' }] };
  }
  if (!canStream(s)) {
    const pod = s.pod;
    const marker: LogEffect | undefined = !pod
      ? undefined
      : pod.deleting || s.sandbox !== 'active'
        ? stoppedMarker(s, pod)
        : { type: 'marker', text: `The container in pod ${pod.name} stopped; waiting for it to start again…`, tone: 'warning' };
    return toWaiting(s, marker ? [marker] : []);
  }
  // A stream that ended cleanly after running a while (container exit, server timeout) reconnects
  // at once; one that failed, or ended right after opening, backs off with jitter.
  const healthy = s.phase.kind === 'streaming' && e.at - s.phase.since >= cfg.minHealthyMs && !e.error;
  if (healthy) {
    const r = connect({ ...s, attempt: 0 });
    return { state: r.state, effects: r.effects };
  }
  const delayMs = backoffDelay(s.attempt, cfg.minBackoffMs, cfg.maxBackoffMs, cfg.random);
  const reason = e.error?.message ?? 'the log stream ended';
  const effects: LogEffect[] = [{ type: 'schedule', ms: delayMs }];
  if (e.error && e.error.message !== s.lastError)
    effects.unshift({ type: 'marker', text: `Connection lost (${reason}). Reconnecting in ${(delayMs / 1000).toFixed(1)} s…`, tone: 'warning' });
  return {
    state: { ...s, attempt: s.attempt + 1, lastError: e.error?.message ?? s.lastError, phase: { kind: 'backoff', pod: podName, delayMs, reason } },
    effects,
  };
}

/** The status line for a state, in words. */
export function describePhase(s: LogState): {
  state: 'connecting' | 'streaming' | 'waiting' | 'retrying' | 'ended' | 'failed';
  text: string;
  pod?: string | undefined;
} {
  const p = s.phase;
  switch (p.kind) {
    case 'idle':
    case 'connecting':
      return { state: 'connecting', text: p.kind === 'idle' ? 'Starting…' : `Connecting to pod ${p.pod}…`, pod: s.pod?.name };
    case 'streaming':
      return { state: 'streaming', text: s.options.follow ? `Following pod ${p.pod}` : `Reading pod ${p.pod}`, pod: p.pod };
    case 'waiting':
      return { state: 'waiting', text: p.reason, pod: s.pod?.name };
    case 'backoff':
      return { state: 'retrying', text: `Reconnecting in ${(p.delayMs / 1000).toFixed(1)} s (${p.reason})`, pod: p.pod };
    case 'ended':
      return { state: 'ended', text: s.sandbox === 'gone' ? 'The sandbox was deleted.' : 'End of log (not following).' };
    case 'failed':
      return { state: 'failed', text: p.message };
    case 'stopped':
      return { state: 'ended', text: 'Stopped.' };
  }
}
