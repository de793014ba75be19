import type { IncomingMessage } from 'node:http';
import type { KubeClient } from './client';
import { KubeError } from './errors';
import type { KubeObject } from '../model/objects';
import { streamInitialList, type StreamingListChoice } from './streamingList';

export interface ListResult {
  items: KubeObject[];
  resourceVersion: string;
  /** The transport already applied the list's `ingest` to every item (as they arrived). */
  ingested?: boolean;
}

/** What an informer does to each object before keeping it (the model slims objects: model/slim.ts). */
export type Ingest = (obj: KubeObject) => KubeObject;

export interface WatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: KubeObject & { code?: number; reason?: string; message?: string };
}

export interface WatchHandle {
  close(): void;
}

/** How an informer lists and watches one collection; the real one talks HTTP, tests script it. */
export interface WatchTransport {
  /**
   * Lists the collection. A transport may apply `ingest` to each item as it arrives (so a large
   * list never sits in memory whole) and then says so with `ingested`; else the informer applies it.
   */
  list(signal: AbortSignal, ingest?: Ingest): Promise<ListResult>;
  /**
   * Opens a watch; events arrive in order; onOpen once the server accepted it; onClose is called
   * exactly once (err undefined on a clean end; reason 'Watchdog' when it went silent).
   */
  watch(resourceVersion: string, onEvent: (e: WatchEvent) => void, onClose: (err?: KubeError) => void, onOpen?: () => void): WatchHandle;
}

export interface CollectionQuery {
  labelSelector?: string;
  fieldSelector?: string;
}

/** Silence on a watch for this long means its connection is dead (issue: ≤ 30 s to notice). */
export const WATCH_INACTIVITY_MS = 25_000;
/** The server ends a healthy watch after this many seconds (+0–5), well inside the watchdog. */
export const WATCH_SERVER_TIMEOUT_S = 15;

export interface HttpWatchOptions {
  inactivityMs?: number;
  /**
   * List by streaming (a watch with sendInitialEvents) while this says the server does; without
   * it every list is paged. One choice is shared by a session's transports, so a server that
   * refuses is asked once, not at every re-list.
   */
  streamingList?: StreamingListChoice;
}

/** Opens one NDJSON watch stream with these query parameters (shared by watches and streamed lists). */
export type OpenStream = (
  params: Record<string, string>,
  onEvent: (e: WatchEvent) => void,
  onClose: (err?: KubeError) => void,
  onOpen?: () => void,
) => WatchHandle;

function query(params: Record<string, string | undefined>): string {
  const parts = Object.entries(params)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `${k}=${encodeURIComponent(v as string)}`);
  return parts.length ? `?${parts.join('&')}` : '';
}

/**
 * List + watch over HTTP/1.1, which has no ping: a connection whose packets are silently dropped
 * (laptop sleep, VPN or Wi-Fi change) looks exactly like a quiet watch. So the server is asked to
 * end each watch after 15–20 s (randomised so watches do not reconnect together; the informer
 * re-watches from the last resourceVersion over the same kept-alive connection, which the watch
 * cache answers cheaply), and no data for `inactivityMs` (25 s) means the path is dead: the watch
 * ends with reason 'Watchdog' and the informer watches again on a fresh connection.
 * A list is paged (500 a page), or streamed where the server offers it (streamingList.ts).
 */
export class HttpWatchTransport implements WatchTransport {
  private readonly inactivityMs: number;

  constructor(
    private readonly client: KubeClient,
    private readonly path: string,
    private readonly q: CollectionQuery = {},
    private readonly options: HttpWatchOptions = {},
  ) {
    this.inactivityMs = options.inactivityMs ?? WATCH_INACTIVITY_MS;
  }

  async list(signal: AbortSignal, ingest?: Ingest): Promise<ListResult> {
    const choice = this.options.streamingList;
    if (choice?.worthTrying) {
      const streamed = await streamInitialList(this.open, signal, ingest);
      if ('items' in streamed) {
        choice.streamed();
        return streamed;
      }
      choice.refused(this.path, streamed);
    }
    return this.pagedList(signal, ingest);
  }

  private async pagedList(signal: AbortSignal, ingest: Ingest | undefined): Promise<ListResult> {
    const items: KubeObject[] = [];
    let cont: string | undefined;
    let rv: string;
    do {
      const page = await this.client.get<{ items: KubeObject[]; metadata: { resourceVersion: string; continue?: string } }>(
        this.path + query({ ...this.q, limit: '500', continue: cont }),
        { signal, what: `list ${this.path}` },
      );
      // Slimmed page by page: the full objects of a large list are never all alive at once.
      for (const item of page.items ?? []) items.push(ingest ? ingest(item) : item);
      rv = page.metadata.resourceVersion;
      cont = page.metadata.continue || undefined;
    } while (cont);
    return { items, resourceVersion: rv, ingested: !!ingest };
  }

  watch(resourceVersion: string, onEvent: (e: WatchEvent) => void, onClose: (err?: KubeError) => void, onOpen?: () => void): WatchHandle {
    const timeoutSeconds = String(WATCH_SERVER_TIMEOUT_S + Math.floor(Math.random() * 6));
    return this.open({ resourceVersion, allowWatchBookmarks: 'true', timeoutSeconds }, onEvent, onClose, onOpen);
  }

  /** A watch request with these parameters, read line by line, guarded by the inactivity watchdog. */
  private readonly open: OpenStream = (params, onEvent, onClose, onOpen) => {
    const abort = new AbortController();
    let closed = false;
    let watchdog: NodeJS.Timeout | undefined;
    let response: IncomingMessage | undefined;
    // Once the answer has come, end it by destroying the response: aborting the request from inside
    // a 'data' handler of a response that already ended throws an AbortError no listener catches.
    const stop = () => (response ? response.destroy() : abort.abort());
    const finish = (err?: KubeError) => {
      if (closed) return;
      closed = true;
      if (watchdog) clearTimeout(watchdog);
      stop();
      onClose(err);
    };
    const arm = () => {
      if (watchdog) clearTimeout(watchdog);
      watchdog = setTimeout(
        () => (
          this.client.dropIdleConnections(),
          finish(new KubeError(`watch ${this.path}: no data for ${this.inactivityMs / 1000} s`, undefined, 'Watchdog', 'timeout'))
        ),
        this.inactivityMs,
      );
      watchdog.unref?.();
    };
    const url = this.path + query({ ...this.q, watch: '1', ...params });
    arm();
    this.client
      .stream(url, { signal: abort.signal, what: `watch ${this.path}` })
      .then((res) => {
        if (closed) return void res.destroy();
        response = res;
        arm();
        onOpen?.();
        let buffer = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          arm();
          buffer += chunk;
          let nl: number;
          while ((nl = buffer.indexOf('\n')) >= 0) {
            const line = buffer.slice(0, nl).trim();
            buffer = buffer.slice(nl + 1);
            if (!line || closed) continue;
            try {
              onEvent(JSON.parse(line) as WatchEvent);
            } catch (err) {
              finish(new KubeError(`watch ${this.path}: bad event: ${(err as Error).message}`, undefined, 'BadEvent', 'network'));
              return;
            }
          }
        });
        res.on('end', () => finish());
        res.on('aborted', () => finish(new KubeError(`watch ${this.path}: connection lost`, undefined, 'Aborted', 'network')));
        res.on('error', (err) => finish(err instanceof KubeError ? err : new KubeError(`watch ${this.path}: ${err.message}`, undefined, undefined, 'network')));
      })
      .catch((err: unknown) => finish(err instanceof KubeError ? err : new KubeError(String(err), undefined, undefined, 'network')));
    return {
      close: () => {
        closed = true;
        if (watchdog) clearTimeout(watchdog);
        stop();
      },
    };
  };
}
