import type { Logger } from '../logging/logger';
import { keyOf, KubeObject } from '../model/objects';
import { backoffDelay, Clock, systemClock } from './clock';
import { KubeError } from './errors';
import type { Ingest, WatchEvent, WatchHandle, WatchTransport } from './watchTransport';

export type InformerStatus =
  | { state: 'starting' }
  | { state: 'synced' }
  | { state: 'error'; error: KubeError; retryInMs: number }
  /** The watch was lost (network, watchdog): the store is kept but may be stale until the next watch opens. */
  | { state: 'reconnecting'; error: KubeError; retryInMs: number }
  | { state: 'stopped' };

export interface InformerChange {
  upserted: KubeObject[];
  deleted: KubeObject[];
}

export interface InformerOptions {
  clock?: Clock;
  random?: () => number;
  minBackoffMs?: number;
  maxBackoffMs?: number;
  /** Permission/not-found errors will not fix themselves soon: retry them at this slower pace. */
  slowRetryMs?: number;
  log?: Logger;
  name?: string;
  /** A watch that lived shorter than this before ending counts as a failed attempt (backoff grows). */
  healthyWatchMs?: number;
  /** Applied to every object before it is stored or reported (the model slims what it keeps). */
  ingest?: Ingest;
}

/**
 * List-then-watch for one collection, as an explicit state machine: list → watch from the list's
 * resourceVersion → on a clean end re-watch from the last version seen (bookmarks keep it fresh) →
 * on a lost watch (network error, inactivity watchdog) re-watch from that version too, with
 * backoff, the store marked stale ('reconnecting') until the new watch opens → on 410 Gone re-list
 * and diff → on other errors back off with jitter and re-list, one restart in flight at a time.
 * The backoff only resets once a watch has stayed up a while, so a watch that fails fast (repeated
 * 410 or ERROR events, a server that drops it at once) never becomes a hot loop.
 * The store only reports objects whose resourceVersion changed, so a re-list does not flicker the tree.
 */
export class Informer {
  readonly store = new Map<string, KubeObject>();
  private status: InformerStatus = { state: 'stopped' };
  private rv = '';
  private attempt = 0;
  private timer: unknown;
  private handle: WatchHandle | undefined;
  private listAbort: AbortController | undefined;
  private generation = 0;
  private watchOpenedAt = 0;
  private readonly clock: Clock;
  private readonly opts: Required<Omit<InformerOptions, 'log' | 'name' | 'clock' | 'ingest'>>;

  constructor(
    private readonly transport: WatchTransport,
    private readonly onChange: (change: InformerChange) => void,
    private readonly onStatus: (status: InformerStatus) => void,
    private readonly options: InformerOptions = {},
  ) {
    this.clock = options.clock ?? systemClock;
    this.opts = {
      random: options.random ?? Math.random,
      minBackoffMs: options.minBackoffMs ?? 1000,
      maxBackoffMs: options.maxBackoffMs ?? 30_000,
      slowRetryMs: options.slowRetryMs ?? 60_000,
      healthyWatchMs: options.healthyWatchMs ?? 5000,
    };
  }

  get currentStatus(): InformerStatus {
    return this.status;
  }
  get resourceVersion(): string {
    return this.rv;
  }

  start(): void {
    if (this.status.state !== 'stopped') return;
    this.generation++;
    this.setStatus({ state: 'starting' });
    void this.list(this.generation);
  }

  /**
   * Starts from objects already read at `resourceVersion` (a create's or a read's answer) instead of
   * a list: one watch request. A 410 on that watch re-lists as usual.
   */
  startFrom(objects: KubeObject[], resourceVersion: string): void {
    if (this.status.state !== 'stopped') return;
    const gen = ++this.generation;
    this.setStatus({ state: 'starting' });
    const ingest = this.options.ingest;
    this.replace(ingest ? objects.map(ingest) : objects);
    this.rv = resourceVersion;
    // A listener may have stopped us already (a wait that the objects satisfy).
    if (gen !== this.generation) return;
    this.setStatus({ state: 'synced' });
    this.openWatch(gen);
  }

  stop(): void {
    this.generation++;
    this.clearTimer();
    this.handle?.close();
    this.handle = undefined;
    this.listAbort?.abort();
    this.setStatus({ state: 'stopped' });
  }

  /** Forces a fresh list now (the Refresh command), keeping the store for diffing. */
  relist(): void {
    if (this.status.state === 'stopped') return this.start();
    this.generation++;
    this.clearTimer();
    this.handle?.close();
    this.handle = undefined;
    void this.list(this.generation);
  }

  private async list(gen: number): Promise<void> {
    this.listAbort = new AbortController();
    try {
      const ingest = this.options.ingest;
      const result = await this.transport.list(this.listAbort.signal, ingest);
      if (gen !== this.generation) return;
      this.replace(ingest && !result.ingested ? result.items.map(ingest) : result.items);
      this.rv = result.resourceVersion;
      this.setStatus({ state: 'synced' });
      // A listener may have stopped us while handling the list (a wait that is already satisfied).
      if (gen !== this.generation) return;
      this.openWatch(gen);
    } catch (err) {
      if (gen !== this.generation) return;
      this.fail(gen, toKubeError(err), 'list');
    }
  }

  private openWatch(gen: number): void {
    this.watchOpenedAt = this.clock.now();
    let ended: 'gone' | 'error' | undefined;
    this.handle = this.transport.watch(
      this.rv,
      (e) => {
        if (gen !== this.generation) return;
        ended ??= this.apply(e);
      },
      (err) => {
        if (gen !== this.generation) return;
        this.handle = undefined;
        if (this.clock.now() - this.watchOpenedAt >= this.opts.healthyWatchMs) this.attempt = 0;
        const fast = this.attempt > 0;
        if (ended === 'gone' || err?.isGone) {
          this.options.log?.debug(`${this.options.name ?? 'informer'}: resourceVersion too old, re-listing`);
          // The first 410 re-lists at once; 410 again right after a re-list waits (no hot loop).
          this.attempt++;
          if (!fast) void this.list(gen);
          else this.fail(gen, new KubeError('the watch keeps expiring (410 Gone)', 410, 'Expired', 'network'), 'watch');
        } else if (ended === 'error') {
          this.fail(gen, new KubeError('the watch reported an error', undefined, 'WatchError', 'network'), 'watch');
        } else if (err && (err.kind === 'network' || err.kind === 'timeout') && !err.status) {
          this.reconnect(gen, err);
        } else if (err) {
          this.fail(gen, err, 'watch');
        } else if (fast || this.clock.now() - this.watchOpenedAt < 1000) {
          // A watch that ends at once, again and again, must not become a hot loop.
          this.schedule(gen, backoffDelay(this.attempt++, this.opts.minBackoffMs, this.opts.maxBackoffMs, this.opts.random), () => this.openWatch(gen));
        } else {
          this.openWatch(gen);
        }
      },
      () => {
        if (gen === this.generation && this.status.state === 'reconnecting') this.setStatus({ state: 'synced' });
      },
    );
  }

  /**
   * The watch's connection was lost or went silent: keep the store (marked stale) and watch again
   * from the last version seen; the server replays what was missed, or answers 410 (then re-list).
   * The watchdog's first expiry re-watches at once; failures after it back off.
   */
  private reconnect(gen: number, error: KubeError): void {
    const delay =
      error.reason === 'Watchdog' && this.attempt === 0 ? 0 : backoffDelay(this.attempt, this.opts.minBackoffMs, this.opts.maxBackoffMs, this.opts.random);
    this.attempt++;
    this.options.log?.info(
      `${this.options.name ?? 'informer'}: watch lost (${error.message}); watching again from ${this.rv}${delay ? ` in ${Math.round(delay / 100) / 10} s` : ''}`,
    );
    this.setStatus({ state: 'reconnecting', error, retryInMs: delay });
    if (delay === 0) this.openWatch(gen);
    else this.schedule(gen, delay, () => this.openWatch(gen));
  }

  /** Applies one event; says when it ends the watch's usefulness: 'gone' (410) or 'error' (any other ERROR). */
  private apply(e: WatchEvent): 'gone' | 'error' | undefined {
    const ingest = this.options.ingest;
    const obj: WatchEvent['object'] = ingest && (e.type === 'ADDED' || e.type === 'MODIFIED' || e.type === 'DELETED') ? ingest(e.object) : e.object;
    switch (e.type) {
      case 'ADDED':
      case 'MODIFIED': {
        this.rv = obj.metadata?.resourceVersion ?? this.rv;
        const key = keyOf(obj);
        const prev = this.store.get(key);
        if (prev?.metadata.resourceVersion === obj.metadata.resourceVersion && prev) return undefined;
        this.store.set(key, obj);
        this.onChange({ upserted: [obj], deleted: [] });
        return undefined;
      }
      case 'DELETED': {
        this.rv = obj.metadata?.resourceVersion ?? this.rv;
        const key = keyOf(obj);
        if (this.store.delete(key)) this.onChange({ upserted: [], deleted: [obj] });
        return undefined;
      }
      case 'BOOKMARK':
        this.rv = obj.metadata?.resourceVersion ?? this.rv;
        return undefined;
      case 'ERROR':
        if (obj.code === 410) return 'gone';
        this.options.log?.warn(`${this.options.name ?? 'informer'}: watch error event: ${obj.message ?? JSON.stringify(obj)}`);
        return 'error'; // any other ERROR event ends this watch's usefulness; a re-list (after a backoff) is the safe answer
      default:
        return undefined;
    }
  }

  private replace(items: KubeObject[]): void {
    const seen = new Set<string>();
    const upserted: KubeObject[] = [];
    for (const obj of items) {
      const key = keyOf(obj);
      seen.add(key);
      const prev = this.store.get(key);
      if (!prev || prev.metadata.resourceVersion !== obj.metadata.resourceVersion) upserted.push(obj);
      this.store.set(key, obj);
    }
    const deleted: KubeObject[] = [];
    for (const [key, obj] of this.store) {
      if (!seen.has(key)) {
        this.store.delete(key);
        deleted.push(obj);
      }
    }
    if (upserted.length || deleted.length || this.status.state === 'starting') this.onChange({ upserted, deleted });
  }

  private fail(gen: number, error: KubeError, phase: 'list' | 'watch'): void {
    const slow = error.status === 403 || error.status === 404 || error.status === 401;
    const delay = slow ? this.opts.slowRetryMs : backoffDelay(this.attempt++, this.opts.minBackoffMs, this.opts.maxBackoffMs, this.opts.random);
    this.options.log?.warn(`${this.options.name ?? 'informer'}: ${phase} failed (${error.message}); retrying in ${Math.round(delay / 100) / 10} s`);
    this.setStatus({ state: 'error', error, retryInMs: delay });
    // A failed watch may have missed events we cannot name: re-list (and diff) rather than guess.
    this.schedule(gen, delay, () => void this.list(gen));
  }

  private schedule(gen: number, ms: number, fn: () => void): void {
    this.clearTimer();
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      if (gen === this.generation) fn();
    }, ms);
  }

  private clearTimer(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private setStatus(s: InformerStatus): void {
    const same = s.state === this.status.state && s.state !== 'error' && s.state !== 'reconnecting';
    this.status = s;
    if (!same) this.onStatus(s);
  }
}

function toKubeError(err: unknown): KubeError {
  return err instanceof KubeError ? err : new KubeError((err as Error)?.message ?? String(err), undefined, undefined, 'network');
}
