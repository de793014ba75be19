import type { Logger } from '../logging/logger';
import { keyOf, KubeObject } from '../model/objects';
import { KubeError } from './errors';
import type { Ingest, ListResult, OpenStream, WatchHandle } from './watchTransport';

/** The annotation on the bookmark that ends a streamed list's initial events. */
export const INITIAL_EVENTS_END = 'k8s.io/initial-events-end';

/**
 * A streaming list (KEP-3157): a watch from resourceVersion "" (a consistent read) that first
 * sends the collection's current state as ADDED events, then a BOOKMARK annotated
 * `k8s.io/initial-events-end: "true"` whose resourceVersion is that state's. The server sends the
 * objects one by one from its watch cache instead of building pages, and we slim each as it comes.
 */
export const STREAM_LIST_PARAMS = { sendInitialEvents: 'true', resourceVersionMatch: 'NotOlderThan', allowWatchBookmarks: 'true' } as const;

/**
 * Long enough for a large collection's initial events, short enough that a server which ignores
 * sendInitialEvents on a busy collection (events flowing, so the watchdog stays quiet, and never
 * the end bookmark) gives up soon: the watch then ends without the bookmark and we page instead.
 */
export const STREAM_LIST_TIMEOUT_S = 60;

/** Why a streamed list was not had; `lasting` when the server will answer the same next time. */
export interface StreamRefusal {
  reason: string;
  lasting: boolean;
}

/**
 * Whether the server streams lists, learnt from its answers and then remembered, so a server that
 * refuses is asked once per session rather than at every re-list. Kubernetes 1.27–1.31 and 1.33
 * (WatchList off by default) answer 422 "sendInitialEvents is forbidden for watch unless the
 * WatchList feature gate is enabled"; 1.19–1.26 answer 422 for resourceVersionMatch on a watch;
 * servers that do not know the parameters at all watch "from now", and show it by a bookmark
 * without the end annotation, or no bookmark at all. Any of these: page from then on.
 * A refusal that may pass (an ERROR event, a 5xx, 429) pages this once and asks again next time.
 */
export class StreamingListChoice {
  private state: 'untried' | 'streams' | 'pages' = 'untried';

  constructor(private readonly log?: Logger) {}

  get worthTrying(): boolean {
    return this.state !== 'pages';
  }

  get current(): 'untried' | 'streams' | 'pages' {
    return this.state;
  }

  streamed(): void {
    if (this.state === 'untried') this.log?.debug('the API server streams lists (sendInitialEvents); using streamed lists');
    this.state = 'streams';
  }

  refused(path: string, r: StreamRefusal): void {
    if (r.lasting) {
      this.log?.info(`the API server does not stream lists (${path}: ${r.reason}); using paged lists from now on`);
      this.state = 'pages';
    } else {
      this.log?.debug(`streamed list of ${path} failed (${r.reason}); paging this one`);
    }
  }
}

/**
 * Lists by a streaming watch, applying `ingest` to each object as it arrives. Resolves with the
 * list, or with a refusal (the caller pages instead); rejects on network failure or abort, as a
 * paged list would. The stream is closed once the end bookmark arrives: the informer's own watch
 * goes on from its resourceVersion.
 */
export function streamInitialList(
  open: OpenStream,
  signal: AbortSignal,
  ingest: Ingest | undefined,
): Promise<(ListResult & { ingested: boolean }) | StreamRefusal> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new KubeError('the list was cancelled', undefined, 'Aborted', 'cancelled'));
    const items = new Map<string, KubeObject>();
    let events = 0;
    let settled = false;
    let handle: WatchHandle | undefined;
    const settle = (): boolean => {
      if (settled) return false;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      handle?.close();
      return true;
    };
    const refuse = (reason: string, lasting: boolean) => settle() && resolve({ reason, lasting });
    const onAbort = () => settle() && reject(new KubeError('the list was cancelled', undefined, 'Aborted', 'cancelled'));
    // resourceVersion "" (sent as no parameter): the state as of now, a consistent read.
    handle = open(
      { ...STREAM_LIST_PARAMS, resourceVersion: '', timeoutSeconds: String(STREAM_LIST_TIMEOUT_S) },
      (e) => {
        if (settled) return;
        const obj = e.object;
        switch (e.type) {
          case 'ADDED':
          case 'MODIFIED':
            events++;
            items.set(keyOf(obj), ingest ? ingest(obj) : obj);
            return;
          case 'DELETED':
            events++;
            items.delete(keyOf(obj));
            return;
          case 'BOOKMARK':
            // A server that streams sends no bookmark before the end one; any other means it watches "from now".
            if (obj.metadata?.annotations?.[INITIAL_EVENTS_END] !== 'true')
              return refuse('a bookmark without the initial-events-end annotation: sendInitialEvents was ignored', true);
            if (settle()) resolve({ items: [...items.values()], resourceVersion: obj.metadata.resourceVersion ?? '', ingested: !!ingest });
            return;
          case 'ERROR':
            return refuse(`the stream reported ${obj.code ?? 'an error'}: ${obj.message ?? obj.reason ?? 'no message'}`, false);
          default:
            return;
        }
      },
      (err) => {
        if (settled) return;
        if (!err) return refuse(`the watch ended after ${events} events without the initial-events-end bookmark`, true);
        if (err.status) return refuse(`HTTP ${err.status}: ${err.message}`, err.status < 500 && err.status !== 429);
        // Silence after objects but before the end bookmark: a streaming server sends that bookmark at once.
        if (err.reason === 'Watchdog' && events > 0) return refuse(`no initial-events-end bookmark after ${events} events`, true);
        if (settle()) reject(err);
      },
    );
    if (settled) handle.close();
    else signal.addEventListener('abort', onAbort);
  });
}
