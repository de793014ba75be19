// bench:fleet's API cost, counted on both sides: the model's own requests (a counting wrapper around
// the extension's HTTP list/watch transport: logical lists, list pages, watches opened) and the API
// server's /metrics (LIST and WATCH requests per resource, and watches open now). The server counts
// every client, so its numbers equal ours only when nothing else listed or watched meanwhile.
import type { KubeClient, RequestInit } from '../../src/core/k8s/client';
import { readBody } from '../../src/core/k8s/client';
import { HttpWatchTransport, type WatchEvent } from '../../src/core/k8s/watchTransport';
import type { CollectionTransport } from '../../src/core/session';

/** The resources the model lists and watches, by the plural the server's metrics name them. */
export const RESOURCES = ['sandboxes', 'sandboxclaims', 'sandboxwarmpools', 'sandboxtemplates', 'pods'] as const;
export type Resource = (typeof RESOURCES)[number];

const resourceOf = (path: string): Resource | undefined => RESOURCES.find((r) => new RegExp(`/${r}(\\?|$)`).test(path));

export interface ClientCounts {
  lists: number;
  pages: number;
  watches: number;
  opened: number;
}
const zero = (): ClientCounts => ({ lists: 0, pages: 0, watches: 0, opened: 0 });

/** What the model sent, per resource; `onDidChange` wakes `until` (test/support/wait.ts). */
export class RequestCounter {
  readonly counts = new Map<Resource, ClientCounts>(RESOURCES.map((r) => [r, zero()]));
  listsInFlight = 0;
  private readonly listeners = new Set<() => void>();
  private readonly eventTaps = new Set<(resource: Resource, e: WatchEvent) => void>();

  /** Every watch event as it leaves the transport, before the informer sees it (bench:fleet's churn times from here). */
  onWatchEvent(tap: (resource: Resource, e: WatchEvent) => void): { dispose(): void } {
    this.eventTaps.add(tap);
    return { dispose: () => void this.eventTaps.delete(tap) };
  }

  onDidChange(listener: () => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => void this.listeners.delete(listener) };
  }

  snapshot(): Map<Resource, ClientCounts> {
    return new Map([...this.counts].map(([r, c]) => [r, { ...c }]));
  }

  private bump(path: string, field: keyof ClientCounts, by = 1): void {
    const r = resourceOf(path);
    if (r) (this.counts.get(r) as ClientCounts)[field] += by;
    for (const l of [...this.listeners]) l();
  }

  /** The session's list/watch transport (HttpWatchTransport, unchanged) with every request counted. */
  transport(): CollectionTransport {
    return (client, path, query, options) => {
      // Pages are the client's GETs on the collection; a Proxy keeps every other member as it is.
      const counted = new Proxy(client, {
        get: (target, prop) => {
          if (prop === 'get') return (p: string, init?: RequestInit) => (this.bump(path, 'pages'), target.get(p, init));
          const v = Reflect.get(target, prop, target) as unknown;
          return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
        },
      });
      const inner = new HttpWatchTransport(counted, path, query, options);
      return {
        list: async (signal) => {
          this.listsInFlight++;
          this.bump(path, 'lists');
          try {
            return await inner.list(signal);
          } finally {
            this.listsInFlight--;
            this.bump(path, 'lists', 0);
          }
        },
        watch: (rv, onEvent, onClose, onOpen) => {
          this.bump(path, 'watches');
          const r = resourceOf(path);
          const tapped = (e: WatchEvent) => {
            if (r) for (const t of this.eventTaps) t(r, e);
            onEvent(e);
          };
          return inner.watch(rv, tapped, onClose, () => (this.bump(path, 'opened'), onOpen?.()));
        },
      };
    };
  }
}

export interface ServerCounts {
  /** apiserver_request_total, summed over codes and scopes: completed requests (a watch counts when it ends). */
  list: number;
  watchEnded: number;
  /** apiserver_longrunning_requests{verb="WATCH"}: watches open at the moment of the scrape. */
  watchOpen: number;
}

const GROUPS = new Set(['agents.x-k8s.io', 'extensions.agents.x-k8s.io', '']);

/** Parses the Prometheus text of /metrics into per-resource LIST/WATCH numbers (undefined: metric absent). */
export function parseApiMetrics(text: string): { counts: Map<Resource, ServerCounts>; hasOpenGauge: boolean } {
  const counts = new Map<Resource, ServerCounts>(RESOURCES.map((r) => [r, { list: 0, watchEnded: 0, watchOpen: 0 }]));
  let hasOpenGauge = false;
  for (const line of text.split('\n')) {
    const m = /^(apiserver_request_total|apiserver_longrunning_requests|apiserver_longrunning_gauge)\{([^}]*)\}\s+(\S+)/.exec(line);
    if (!m) continue;
    const labels: Record<string, string> = {};
    for (const l of m[2].matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]] = l[2];
    const r = RESOURCES.find((x) => x === labels['resource']);
    const g = labels['group']; // absent on servers older than 1.26
    if (!r || labels['subresource'] || (g !== undefined && (!GROUPS.has(g) || (r === 'pods') !== (g === '')))) continue;
    const c = counts.get(r) as ServerCounts;
    const v = Number(m[3]);
    if (m[1] === 'apiserver_request_total') {
      if (labels['verb'] === 'LIST') c.list += v;
      else if (labels['verb'] === 'WATCH') c.watchEnded += v;
    } else if (labels['verb'] === 'WATCH') {
      hasOpenGauge = true;
      c.watchOpen += v;
    }
  }
  return { counts, hasOpenGauge };
}

/** One scrape of the API server's /metrics through the bench's own client (not the model's). */
export async function scrapeApiMetrics(client: KubeClient): Promise<ReturnType<typeof parseApiMetrics>> {
  const res = await client.stream('/metrics', { timeoutMs: 30_000, what: 'read the API server /metrics' });
  return parseApiMetrics(await readBody(res));
}

export function diff(after: Map<Resource, ServerCounts>, before: Map<Resource, ServerCounts>): Map<Resource, ServerCounts> {
  return new Map(
    RESOURCES.map((r) => {
      const a = after.get(r) as ServerCounts,
        b = before.get(r) as ServerCounts;
      return [r, { list: a.list - b.list, watchEnded: a.watchEnded - b.watchEnded, watchOpen: a.watchOpen - b.watchOpen }];
    }),
  );
}

export function diffClient(after: Map<Resource, ClientCounts>, before: Map<Resource, ClientCounts>): Map<Resource, ClientCounts> {
  return new Map(
    RESOURCES.map((r) => {
      const a = after.get(r) as ClientCounts,
        b = before.get(r) as ClientCounts;
      return [r, { lists: a.lists - b.lists, pages: a.pages - b.pages, watches: a.watches - b.watches, opened: a.opened - b.opened }];
    }),
  );
}
