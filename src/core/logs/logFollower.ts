import type { IncomingMessage } from 'node:http';
import type { KubeClient } from '../k8s/client';
import { Clock, systemClock } from '../k8s/clock';
import { byName, CollectionWatch, corePath, watchCollection } from '../k8s/collectionWatch';
import { KubeError } from '../k8s/errors';
import { ApiModel, collectionPath } from '../k8s/resources';
import type { Logger } from '../logging/logger';
import { KubeObject, rec, str } from '../model/objects';
import { isSuspendRequested, podName, sandboxState } from '../model/sandbox';
import { formatLine, LogLineSplitter } from './logLines';
import {
  DEFAULT_MACHINE_CONFIG,
  describePhase,
  initialLogState,
  LogEffect,
  LogEvent,
  LogOptions,
  LogState,
  MachineConfig,
  PodInfo,
  reduceLog,
  SandboxPhase,
  StreamQuery,
} from './logMachine';

export interface LogSink {
  data(text: string): void;
  marker(text: string, tone: 'info' | 'warning' | 'error'): void;
  status(status: ReturnType<typeof describePhase>): void;
  clear(): void;
}

/** What the pod watch reports, reduced to what the log machine needs. */
export function podInfo(pod: KubeObject | undefined, container: string | undefined): PodInfo | undefined {
  if (!pod?.metadata.uid) return undefined;
  const statuses = Array.isArray(pod.status?.['containerStatuses']) ? (pod.status['containerStatuses'] as unknown[]).map(rec) : [];
  const mine = statuses.find((c) => !container || str(c?.['name']) === container) ?? statuses[0];
  const state = rec(mine?.['state']);
  const phase = str(pod.status?.['phase']);
  const loggable = state ? !!(state['running'] || state['terminated']) : phase === 'Running' || phase === 'Succeeded' || phase === 'Failed';
  return {
    name: pod.metadata.name,
    uid: pod.metadata.uid,
    loggable,
    restarts: typeof mine?.['restartCount'] === 'number' ? mine['restartCount'] : 0,
    deleting: !!pod.metadata.deletionTimestamp,
  };
}

export function sandboxPhase(sb: KubeObject | undefined): SandboxPhase {
  if (!sb) return 'gone';
  const state = sandboxState(sb);
  if (state === 'Hibernated') return 'hibernated';
  if (state === 'Hibernating' || isSuspendRequested(sb)) return 'hibernating';
  return 'active';
}

/** kubelet/API errors that retrying will not fix: say so and stop. */
export function isRetryable(err: unknown): boolean {
  if (!(err instanceof KubeError)) return true;
  if (err.status === 401 || err.status === 403 || err.status === 404) return false;
  if (err.status === 400 && /container .* (is not valid|not found)|a container name must be specified/i.test(err.message)) return false;
  return true;
}

export function logPath(namespace: string, pod: string, container: string | undefined, q: StreamQuery): string {
  const p = new URLSearchParams();
  if (container) p.set('container', container);
  p.set('follow', String(q.follow));
  p.set('timestamps', 'true');
  if (q.tailLines !== undefined) p.set('tailLines', String(q.tailLines));
  if (q.sinceSeconds !== undefined) p.set('sinceSeconds', String(q.sinceSeconds));
  if (q.sinceTime) p.set('sinceTime', q.sinceTime);
  return `${corePath(namespace, 'pods', pod)}/log?${p.toString()}`;
}

/**
 * Follows a sandbox's container log across pod restarts and hibernate/resume. It watches the
 * sandbox and its pod, feeds what they say to the pure log machine and performs its effects.
 */
export class LogFollower {
  private state: LogState;
  private sandboxWatch: CollectionWatch | undefined;
  private podWatch: CollectionWatch | undefined;
  private podWatchName = '';
  /** The pod's first container: the default when the user chose none (several containers need a name). */
  private defaultContainer: string | undefined;
  private stream: { res?: IncomingMessage; abort: AbortController; gen: number } | undefined;
  private gen = 0;
  private timer: unknown;
  private showTimestamps: boolean;

  constructor(
    private readonly client: KubeClient,
    private readonly api: ApiModel,
    readonly namespace: string,
    readonly sandbox: string,
    options: LogOptions,
    private readonly sink: LogSink,
    private readonly log: Logger,
    private readonly clock: Clock = systemClock,
    private readonly config: MachineConfig = DEFAULT_MACHINE_CONFIG,
  ) {
    this.state = initialLogState(options);
    this.showTimestamps = options.timestamps;
  }

  get current(): LogState {
    return this.state;
  }

  start(): void {
    this.sandboxWatch = watchCollection(
      this.client,
      collectionPath(this.api, 'Sandbox', this.namespace),
      byName(this.sandbox),
      () => this.onSandbox(),
      this.log,
      `logs ${this.sandbox} sandbox`,
    );
  }

  setOptions(options: LogOptions): void {
    this.showTimestamps = options.timestamps;
    this.dispatch({ type: 'options', options });
  }

  reconnectNow(): void {
    this.dispatch({ type: 'reconnectNow' });
  }

  dispose(): void {
    this.dispatch({ type: 'stop' });
    this.sandboxWatch?.stop();
    this.podWatch?.stop();
  }

  private onSandbox(): void {
    const w = this.sandboxWatch;
    if (!w?.synced) return;
    const sb = w.items[0];
    this.dispatch({ type: 'sandbox', phase: sandboxPhase(sb) });
    // The pod is named after the sandbox (v0.3+) or by its annotation; follow renames.
    const pod = sb ? (podName(sb) ?? sb.metadata.name) : this.podWatchName || this.sandbox;
    if (pod !== this.podWatchName) {
      this.podWatch?.stop();
      this.podWatchName = pod;
      this.podWatch = watchCollection(this.client, corePath(this.namespace, 'pods'), byName(pod), () => this.onPod(), this.log, `logs ${this.sandbox} pod`);
    }
  }

  private onPod(): void {
    const w = this.podWatch;
    if (!w?.synced) return;
    const containers = rec(w.items[0]?.spec)?.['containers'];
    this.defaultContainer = Array.isArray(containers) ? str(rec(containers[0])?.['name']) : undefined;
    this.dispatch({ type: 'pod', pod: podInfo(w.items[0], this.state.options.container ?? this.defaultContainer) });
    if (this.state.phase.kind === 'idle') this.dispatch({ type: 'start' });
  }

  private dispatch(e: LogEvent): void {
    const before = this.state.phase;
    const { state, effects } = reduceLog(this.state, e, this.config);
    this.state = state;
    for (const effect of effects) this.perform(effect);
    if (state.phase !== before) this.sink.status(describePhase(state));
  }

  private perform(effect: LogEffect): void {
    switch (effect.type) {
      case 'open':
        return this.open(effect);
      case 'close':
        return this.closeStream();
      case 'marker':
        return this.sink.marker(effect.text, effect.tone);
      case 'schedule':
        this.clock.clearTimeout(this.timer);
        this.timer = this.clock.setTimeout(() => this.dispatch({ type: 'timer' }), effect.ms);
        return;
      case 'cancelTimer':
        this.clock.clearTimeout(this.timer);
        this.timer = undefined;
        return;
      case 'clear':
        return this.sink.clear();
    }
  }

  private closeStream(): void {
    if (!this.stream) return;
    this.stream.abort.abort();
    this.stream.res?.destroy();
    this.stream = undefined;
  }

  private open(effect: Extract<LogEffect, { type: 'open' }>): void {
    this.closeStream();
    const gen = ++this.gen;
    const abort = new AbortController();
    this.stream = { abort, gen };
    const splitter = new LogLineSplitter(effect.skipThrough);
    const mine = () => this.stream?.gen === gen;
    const path = logPath(this.namespace, effect.pod, effect.container ?? this.defaultContainer, effect.query);
    let ended = false;
    let opened = false;
    let watchdog: unknown;
    const idleMs = this.config.streamInactivityMs ?? DEFAULT_MACHINE_CONFIG.streamInactivityMs ?? 25_000;
    const arm = () => {
      this.clock.clearTimeout(watchdog);
      watchdog = this.clock.setTimeout(() => {
        if (!mine()) return;
        this.client.dropIdleConnections();
        // Silent while open: re-open quietly from the last line (a clean end). No headers: a failure.
        const err = opened ? undefined : new KubeError(`no answer from the API server for ${Math.round(idleMs / 1000)} s`, undefined, 'Watchdog', 'timeout');
        const s = this.stream;
        end(err);
        s?.abort.abort();
        s?.res?.destroy();
      }, idleMs);
    };
    arm();
    const end = (err?: unknown) => {
      this.clock.clearTimeout(watchdog);
      if (ended || !mine()) return;
      ended = true;
      this.emit(splitter.flush());
      this.stream = undefined;
      this.dispatch({ type: 'ended', at: this.clock.now(), error: err ? { message: (err as Error).message, retryable: isRetryable(err) } : undefined });
    };
    this.client
      .stream(path, { signal: abort.signal, what: `logs of ${this.namespace}/${effect.pod}` })
      .then((res) => {
        if (!mine()) return void res.destroy();
        this.stream = { res, abort, gen };
        opened = true;
        arm();
        res.socket?.setKeepAlive(true, 10_000);
        this.dispatch({ type: 'opened', at: this.clock.now() });
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          if (!mine()) return;
          arm();
          this.emit(splitter.push(chunk));
        });
        res.on('end', () => end());
        res.on('aborted', () => end(new KubeError('the connection was interrupted', undefined, 'Aborted', 'network')));
        res.on('error', (err) => end(err));
      })
      .catch((err: unknown) => end(err));
  }

  private emit(lines: ReturnType<LogLineSplitter['push']>): void {
    if (lines.length === 0) return;
    let text = '';
    for (const line of lines) {
      if (line.timestamp) this.dispatch({ type: 'line', timestamp: line.timestamp });
      text += formatLine(line, this.showTimestamps);
    }
    this.sink.data(text);
  }
}
