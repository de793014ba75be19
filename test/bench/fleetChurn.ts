// bench:fleet's churn: annotation patches on existing fleet sandboxes at a fixed rate, sent by the
// bench's own client (never the model's), and for each one the time from the patch's response to
// the model's change event that shows it: what the tree re-renders on, ≤ 50 ms coalescing included.
import { performance } from 'node:perf_hooks';
import type { KubeClient } from '../../src/core/k8s/client';
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
  seenAt?: number;
}

export async function churn(model: ClusterModel, api: ApiModel, patcher: KubeClient, o: ChurnOptions): Promise<ChurnResult> {
  // Plain fleet sandboxes (sb-*): no pool or claim controller acts on their metadata.
  const targets = model.all('Sandbox').filter((s) => s.metadata.namespace?.startsWith('fleet-') && s.metadata.name.startsWith('sb-'));
  if (!targets.length) throw new Error('the model holds no fleet sandboxes (fleet-*/sb-*) to patch');
  const run = Date.now().toString(36);
  const unseen = new Set<Patch>();
  const latest = new Map<string, Patch>();
  const r: ChurnResult = { sent: 0, rate: 0, targets: targets.length, latencies: [], missed: 0, early: 0, failed: 0, superseded: 0, changes: 0, behind: 0 };
  let inFlight = 0;
  const wakes = new Set<() => void>();
  const wake = () => {
    for (const w of [...wakes]) w();
  };

  const sub = model.onDidChange(() => {
    r.changes++;
    const now = performance.now();
    for (const p of unseen) {
      if (model.get('Sandbox', p.ns, p.name)?.metadata.annotations?.[CHURN_ANNOTATION] !== p.value) continue;
      p.seenAt = now;
      unseen.delete(p);
      if (p.doneAt !== undefined) r.latencies.push(now - p.doneAt);
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
  r.missed = unseen.size;
  return r;
}
