// A loopback stand-in for kube-apiserver holding one fleet (test/support/fleetObjects.ts): paged
// lists (limit/continue, as the apiserver pages), streamed lists (sendInitialEvents, then the
// initial-events-end bookmark), plain watches held open, and the legacy discovery kubectl needs
// for `kubectl get sandboxes -A -o json`. Every response body is built once, up front, into
// Buffers (outside the JS heap), so the server costs no heap while the model is measured.
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { KubeObject } from '../../src/core/model/objects';

export interface Collection {
  /** All-namespaces path, e.g. /apis/agents.x-k8s.io/v1beta1/sandboxes. */
  path: string;
  kind: string;
  apiVersion: string;
  objects: KubeObject[];
}

interface Prepared {
  pages: Map<string, Buffer>;
  stream: Buffer;
}

const RV = '900000';

function prepare(c: Collection, pageSize: number): Prepared {
  const pages = new Map<string, Buffer>();
  for (let start = 0; start === 0 || start < c.objects.length; start += pageSize) {
    const more = start + pageSize < c.objects.length;
    const list = {
      kind: `${c.kind}List`,
      apiVersion: c.apiVersion,
      metadata: { resourceVersion: RV, ...(more ? { continue: String(start + pageSize), remainingItemCount: c.objects.length - start - pageSize } : {}) },
      items: c.objects.slice(start, start + pageSize),
    };
    pages.set(start === 0 ? '' : String(start), Buffer.from(JSON.stringify(list)));
  }
  const lines = c.objects.map((o) => JSON.stringify({ type: 'ADDED', object: o }));
  lines.push(
    JSON.stringify({
      type: 'BOOKMARK',
      object: { kind: c.kind, apiVersion: c.apiVersion, metadata: { resourceVersion: RV, annotations: { 'k8s.io/initial-events-end': 'true' } } },
    }),
  );
  return { pages, stream: Buffer.from(`${lines.join('\n')}\n`) };
}

/** Legacy discovery documents for the collections' groups (what kubectl falls back to without aggregated discovery). */
function discovery(collections: Collection[]): Map<string, Buffer> {
  const docs = new Map<string, Buffer>();
  const groups = new Map<string, Collection[]>();
  for (const c of collections) groups.set(c.apiVersion, [...(groups.get(c.apiVersion) ?? []), c]);
  const resources = (gv: string, cs: Collection[]) => ({
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: gv,
    resources: cs.map((c) => ({
      name: c.path.split('/').pop(),
      singularName: c.kind.toLowerCase(),
      namespaced: true,
      kind: c.kind,
      verbs: ['get', 'list', 'watch'],
    })),
  });
  docs.set(
    '/api',
    Buffer.from(
      JSON.stringify({ kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1' }] }),
    ),
  );
  const named = [...groups.keys()].filter((gv) => gv.includes('/'));
  docs.set(
    '/apis',
    Buffer.from(
      JSON.stringify({
        kind: 'APIGroupList',
        apiVersion: 'v1',
        groups: named.map((gv) => ({
          name: gv.split('/')[0],
          versions: [{ groupVersion: gv, version: gv.split('/')[1] }],
          preferredVersion: { groupVersion: gv, version: gv.split('/')[1] },
        })),
      }),
    ),
  );
  for (const [gv, cs] of groups) docs.set(gv.includes('/') ? `/apis/${gv}` : `/api/${gv}`, Buffer.from(JSON.stringify(resources(gv, cs))));
  return docs;
}

export class FleetServer {
  private readonly prepared = new Map<string, Prepared>();
  private readonly docs: Map<string, Buffer>;
  private readonly server = http.createServer((req, res) => this.handle(req, res));
  /** Requests per kind of answer, to check which path a client took. */
  readonly counts = { pages: 0, streams: 0, watches: 0 };
  /** Whether a streamed list is refused with 422, as with the WatchList feature gate off. */
  refuseStreams = false;
  /** Bytes of the paged lists' JSON: what one full list of every collection sends. */
  readonly servedBytes: number;

  constructor(collections: Collection[], pageSize = 500) {
    for (const c of collections) this.prepared.set(c.path, prepare(c, pageSize));
    this.docs = discovery(collections);
    this.servedBytes = [...this.prepared.values()].reduce((n, p) => n + [...p.pages.values()].reduce((m, b) => m + b.length, 0), 0);
  }

  async listen(): Promise<string> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', () => r()));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  close(): void {
    this.server.closeAllConnections();
    this.server.close();
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://x');
    const q = url.searchParams;
    const doc = this.docs.get(url.pathname);
    if (doc) return void res.writeHead(200, { 'Content-Type': 'application/json' }).end(doc);
    const c = this.prepared.get(url.pathname);
    if (!c)
      return void res
        .writeHead(404, { 'Content-Type': 'application/json' })
        .end(JSON.stringify({ kind: 'Status', status: 'Failure', reason: 'NotFound', code: 404, message: `${url.pathname} not found` }));
    if (q.get('watch') !== '1' && q.get('watch') !== 'true') {
      this.counts.pages++;
      const page = c.pages.get(q.get('continue') ?? '');
      if (!page)
        return void res
          .writeHead(410, { 'Content-Type': 'application/json' })
          .end(JSON.stringify({ kind: 'Status', status: 'Failure', reason: 'Expired', code: 410 }));
      return void res.writeHead(200, { 'Content-Type': 'application/json' }).end(page);
    }
    if (q.get('sendInitialEvents') === 'true') {
      this.counts.streams++;
      if (this.refuseStreams) {
        const message =
          'ListOptions.meta.k8s.io "" is invalid: sendInitialEvents: Forbidden: sendInitialEvents is forbidden for watch unless the WatchList feature gate is enabled';
        return void res
          .writeHead(422, { 'Content-Type': 'application/json' })
          .end(JSON.stringify({ kind: 'Status', status: 'Failure', reason: 'Invalid', code: 422, message }));
      }
      res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' });
      return void res.write(c.stream);
    }
    this.counts.watches++;
    res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' }).flushHeaders();
  }
}
