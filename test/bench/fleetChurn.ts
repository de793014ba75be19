// bench:fleet's churn: annotation patches on existing fleet sandboxes at a fixed rate, sent by the
// bench's own client (never the model's). For each one, three times: the patch's response → the
// model's watch event carrying it (the API server's delivery), that event → the model's change
// event showing it (the extension's share: what the tree re-renders on, ≤ 50 ms coalescing
// included), and response → change end to end.
import { performance } from 'node:perf_hooks';
import type { KubeClient } from '../../src/core/k8s/client';
import type { WatchEvent } from '../../src/core/k8s/watchTransport';
import { ApiModel, objectPath } from '../../src/core/k8s/resources';
import type { ClusterModel } from '../../src/core/model/clusterModel';
import { until } from '../support/wait';

export const CHURN_ANNOTATION = 'agent-sandbox-vscode/bench-churn';

export interface ChurnOptions {
  rate: number;
  seconds: number;
  /** Patches in flight at most; past it the sender falls behind (reported) rather than queue without bound. */
  maxInFlight: number;
}

export interface ChurnResult {
  sent: number;
  /** Patches per second actually sent. */
  rate: number;
  targets: number;
  /** Response → change event, ms; 0 when the event came before the response. */
  latencies: number[];
  /** The model's watch event carrying the patch → its change event showing it, ms. */
  afterEvent: number[];
  /** Response → the model's watch event carrying it, ms; 0 when the event came first. */
  delivery: number[];
  /** Responded, never seen by the model within the drain time. */
  missed: number;
  early: number;
  failed: number;
  lastError?: string;
  /** A newer patch on the same sandbox before the model showed the older one (fewer targets than patches). */
  superseded: number;
  /** The model's change events (coalesced tree refreshes) from the first patch to the drain. */
  changes: number;
  /** Most patches the sender was behind schedule at any tick. */
  behind: number;
}

interface Patch {
  ns: string;
  name: string;
  value: string;
  doneAt?: number;
  arrivedAt?: number;
  seenAt?: number;
}

/** Where the churn hears the model's own watch events as they arrive (apiCost.ts RequestCounter). */
export type EventTap = (tap: (resource: string, e: WatchEvent) => void) => { dispose(): void };

export async function churn(model: ClusterModel, api: ApiModel, patcher: KubeClient, events: EventTap, o: ChurnOptions): Promise<ChurnResult> {
  // Plain fleet sandboxes (sb-*): no pool or claim controller acts on their metadata.
  const targets = model.all('Sandbox').filter((s) => s.metadata.namespace?.startsWith('fleet-') && s.metadata.name.startsWith('sb-'));
  if (!targets.length) throw new Error('the model holds no fleet sandboxes (fleet-*/sb-*) to patch');
  const run = Date.now().toString(36);
  const unseen = new Set<Patch>();
  const latest = new Map<string, Patch>();
  const sent: Patch[] = [];
  const r: ChurnResult = {
    sent: 0,
    rate: 0,
    targets: targets.length,
    latencies: [],
    afterEvent: [],
    delivery: [],
    missed: 0,
    early: 0,
    failed: 0,
    superseded: 0,
    changes: 0,
    behind: 0,
  };
  let inFlight = 0;
  const wakes = new Set<() => void>();
  const wake = () => {
    for (const w of [...wakes]) w();
  };

  const tap = events((resource, e) => {
    if (resource !== 'sandboxes' || e.type !== 'MODIFIED') return;
    const value = e.object.metadata.annotations?.[CHURN_ANNOTATION];
    const p = value === undefined ? undefined : latest.get(`${e.object.metadata.namespace ?? ''}/${e.object.metadata.name}`);
    if (!p || p.value !== value || p.arrivedAt !== undefined) return;
    p.arrivedAt = performance.now();
  });
  const sub = model.onDidChange(() => {
    r.changes++;
    const now = performance.now();
    for (const p of unseen) {
      if (model.get('Sandbox', p.ns, p.name)?.metadata.annotations?.[CHURN_ANNOTATION] !== p.value) continue;
      p.seenAt = now;
      unseen.delete(p);
      if (p.doneAt !== undefined) r.latencies.push(now - p.doneAt);
      if (p.arrivedAt !== undefined) r.afterEvent.push(now - p.arrivedAt);
    }
    wake();
  });

  const send = () => {
    const t = targets[r.sent % targets.length];
    r.sent++;
    const p: Patch = { ns: t.metadata.namespace ?? '', name: t.metadata.name, value: `${run}.${r.sent}` };
    const key = `${p.ns}/${p.name}`;
    const prev = latest.get(key);
    if (prev && unseen.delete(prev)) r.superseded++;
    latest.set(key, p);
    unseen.add(p);
    sent.push(p);
    inFlight++;
    void patcher
      .request('PATCH', objectPath(api, 'Sandbox', p.ns, p.name), {
        body: { metadata: { annotations: { [CHURN_ANNOTATION]: p.value } } },
        contentType: 'application/merge-patch+json',
        what: `annotate sandbox ${key}`,
      })
      .then(
        () => {
          p.doneAt = performance.now();
          if (p.seenAt === undefined) return;
          r.latencies.push(0);
          r.early++;
        },
        (err: Error) => {
          r.failed++;
          r.lastError = err.message;
          unseen.delete(p);
        },
      )
      .finally(() => {
        inFlight--;
        wake();
      });
  };

  const total = Math.round(o.rate * o.seconds);
  const t0 = performance.now();
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const elapsed = performance.now() - t0;
      const due = Math.min(total, Math.floor((elapsed / 1000) * o.rate));
      while (r.sent < due && inFlight < o.maxInFlight) send();
      r.behind = Math.max(r.behind, due - r.sent);
      if (r.sent >= total || elapsed >= o.seconds * 1000 + 5000) {
        clearInterval(timer);
        resolve();
      }
    }, 5);
  });
  r.rate = r.sent / ((performance.now() - t0) / 1000);
  // Drain: every answered patch shown by the model, or give up after 15 s (those count as missed).
  await until(
    (w) => (wakes.add(w), { dispose: () => void wakes.delete(w) }),
    'the model to show every patch',
    () => inFlight === 0 && unseen.size === 0,
    15_000,
  ).catch(() => undefined);
  sub.dispose();
  tap.dispose();
  r.missed = unseen.size;
  for (const p of sent) if (p.doneAt !== undefined && p.arrivedAt !== undefined) r.delivery.push(Math.max(0, p.arrivedAt - p.doneAt));
  return r;
}
