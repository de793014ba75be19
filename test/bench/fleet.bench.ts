// bench:fleet — the extension's live model against a fleet (default 10,000 sandboxes in 100
// namespaces; test/cluster/fleet.ts loads it when it is missing, and is idempotent). Rows:
//   connect → model synced: ContextSession + ClusterModel without VS Code, as the extension starts
//     them (discovery, every kind cluster-wide, the sandboxes' pods), vs `kubectl get sandboxes -A
//     -o json`, alternating, median of 3 each; goal ≤ 1.0× kubectl.
//   model memory: heap after GC with the model synced, minus the heap before connecting; ≤ 100 MB.
//   churn: 200 annotation patches/s for 30 s on fleet sandboxes from a separate client; p99 from
//     the API event (the model's watch event carrying a patch) to the model's change event showing
//     it, goal < 250 ms; beside it, response → change end to end and the server's share (response →
//     watch event); and how many change events (tree refreshes, coalesced) that took.
//   API cost: the model's lists, pages and watches per resource, counted at its transport and read
//     from the API server's /metrics around the sync; goal 1 logical list + 1 watch per kind.
// BENCH_FLEET_SANDBOXES / BENCH_FLEET_NAMESPACES, BENCH_CHURN_RATE / BENCH_CHURN_SECONDS override.
import { spawn, spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import type { KubeConfig } from '@kubernetes/client-node';
import { loadKubeconfig, resolveKubeconfigFiles } from '../../src/core/k8s/kubeconfig';
import type { ApiModel } from '../../src/core/k8s/resources';
import { silentLogger } from '../../src/core/logging/logger';
import type { ClusterModel } from '../../src/core/model/clusterModel';
import { WATCH_SERVER_TIMEOUT_S } from '../../src/core/k8s/watchTransport';
import { ContextSession } from '../../src/core/session';
import { countFleetSandboxes, fleetPlan } from '../cluster/fleet';
import { clientFor, ensureCluster } from '../integration/cluster';
import { until } from '../support/wait';
import { ClientCounts, diff, diffClient, RequestCounter, Resource, RESOURCES, scrapeApiMetrics, ServerCounts } from './apiCost';
import { churn } from './fleetChurn';
import { median, ms, percentile, printTable, ratio, verdict } from './report';

const CONTEXT = 'agent-sandbox-local';
const num = (name: string, dflt: number) => Number(process.env[name] ?? dflt);
const FLEET = num('BENCH_FLEET_SANDBOXES', 10_000),
  FLEET_NS = num('BENCH_FLEET_NAMESPACES', 100);
const RATE = num('BENCH_CHURN_RATE', 200),
  CHURN_S = num('BENCH_CHURN_SECONDS', 30);
const RUNS = 3;
const gc = () => {
  globalThis.gc?.();
  globalThis.gc?.();
};

async function ensureFleet(): Promise<number> {
  const want = fleetPlan(FLEET, FLEET_NS).sandboxes;
  const have = (await countFleetSandboxes(clientFor(CONTEXT))).total;
  if (have >= want) return have;
  console.log(`bench:fleet: ${have}/${want} fleet sandboxes in the cluster: loading the fleet (this takes minutes the first time)`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'test/cluster/fleet.ts', '--sandboxes', String(FLEET), '--namespaces', String(FLEET_NS)], {
    stdio: 'inherit',
  });
  if (r.status !== 0) console.log('bench:fleet: the fleet did not fully reconcile; measuring what is there');
  return (await countFleetSandboxes(clientFor(CONTEXT))).total;
}

function kubectlGetAll(bin: string, kubeconfig: string): Promise<{ ms: number; bytes: number }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    let bytes = 0,
      err = '';
    const p = spawn(bin, ['--context', CONTEXT, 'get', 'sandboxes', '-A', '-o', 'json'], {
      env: { ...process.env, KUBECONFIG: kubeconfig },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    p.stdout.on('data', (c: Buffer) => (bytes += c.length));
    p.stderr.on('data', (c: Buffer) => (err += c.toString()));
    p.on('error', reject);
    p.on('close', (code) =>
      code === 0 ? resolve({ ms: performance.now() - t0, bytes }) : reject(new Error(`kubectl get sandboxes -A -o json: exit ${code}: ${err.trim()}`)),
    );
  });
}

interface Synced {
  session: ContextSession;
  model: ClusterModel;
  api: ApiModel;
  /** Connect → every kind's informer synced (the model's change event saying so). */
  ms: number;
  sandboxesMs: number;
  /** …and the sandboxes' pods listed and every watch open. */
  allMs: number;
}

async function connectAndSync(config: KubeConfig, counter: RequestCounter): Promise<Synced> {
  const openedBefore = [...counter.counts.values()].reduce((n, c) => n + c.opened, 0);
  const session = new ContextSession(config, CONTEXT, { all: true }, silentLogger, { watchTransport: counter.transport() });
  const t0 = performance.now();
  await session.connect();
  const st = session.state;
  if (st.kind !== 'ready') {
    session.dispose();
    throw new Error(`connect to ${CONTEXT}: ${st.kind}${st.kind === 'unreachable' ? `: ${st.error.message}` : ''}`);
  }
  const model = st.model;
  let sandboxesMs = NaN;
  const sub = model.onDidChange(() => {
    if (Number.isNaN(sandboxesMs) && model.status('Sandbox', '').state === 'synced') sandboxesMs = performance.now() - t0;
  });
  model.start();
  const statuses = () => [...model.kindStatuses()].map(([k, s]) => `${k} ${s.state}`).join(', ');
  await until(
    model,
    () => `every kind synced (${statuses()})`,
    () => {
      const s = model.kindStatuses();
      return model.servedKinds.every((k) => s.get(k)?.state === 'synced');
    },
    600_000,
  );
  const syncedMs = performance.now() - t0;
  sub.dispose();
  const watchers = model.servedKinds.length + 1; // + the sandboxes' pods
  await until(
    counter,
    'the pod list and every watch open',
    () => counter.listsInFlight === 0 && [...counter.counts.values()].reduce((n, c) => n + c.opened, 0) - openedBefore >= watchers,
    300_000,
  );
  return { session, model, api: st.api, ms: syncedMs, sandboxesMs, allMs: performance.now() - t0 };
}

const sum = (m: Map<Resource, ClientCounts>, f: keyof ClientCounts) => [...m.values()].reduce((n, c) => n + c[f], 0);

async function main(): Promise<void> {
  if (!globalThis.gc) console.log('bench:fleet: run with node --expose-gc (npm run bench:fleet does) for the memory row');
  const { kubeconfig, env } = ensureCluster();
  const bench = clientFor(CONTEXT); // /metrics and the churn's patches: never the model's client
  const fleet = await ensureFleet();
  const config = loadKubeconfig(resolveKubeconfigFiles(kubeconfig)).config;
  const kubectlBin = env['KUBECTL'] ?? 'kubectl';
  const counter = new RequestCounter();
  const out = await kubectlGetAll(kubectlBin, kubeconfig); // warm-up: kubectl's discovery cache, the server's
  const kubectlMs: number[] = [],
    runs: Synced[] = [];
  let heapMb = NaN;
  let sync: { server?: Map<Resource, ServerCounts> | undefined; client: Map<Resource, ClientCounts>; gauge: boolean } | undefined;
  let live: Synced | undefined;
  for (let run = 0; run < RUNS; run++) {
    kubectlMs.push((await kubectlGetAll(kubectlBin, kubeconfig)).ms);
    const last = run === RUNS - 1;
    const m0 = last ? await scrapeApiMetrics(bench).catch((e: Error) => (console.log(`bench:fleet: /metrics: ${e.message}`), undefined)) : undefined;
    const c0 = counter.snapshot();
    gc();
    const heap0 = process.memoryUsage().heapUsed;
    const s = await connectAndSync(config, counter);
    runs.push(s);
    console.log(`  run ${run + 1}/${RUNS}: kubectl ${ms(kubectlMs[run])}, model synced ${ms(s.ms)} (${s.model.all('Sandbox').length} sandboxes)`);
    if (!last) {
      s.session.dispose();
      continue;
    }
    gc();
    if (globalThis.gc) heapMb = (process.memoryUsage().heapUsed - heap0) / 1024 / 1024;
    const m1 = m0 && (await scrapeApiMetrics(bench).catch(() => undefined));
    sync = { server: m0 && m1 ? diff(m1.counts, m0.counts) : undefined, client: diffClient(counter.snapshot(), c0), gauge: !!m1?.hasOpenGauge };
    live = s;
  }
  if (!live || !sync) throw new Error('no model run finished');

  console.log(`  churn: ${RATE} patches/s for ${CHURN_S} s…`);
  const m1 = await scrapeApiMetrics(bench).catch(() => undefined);
  const c1 = counter.snapshot();
  const ch = await churn(live.model, live.api, bench, (tap) => counter.onWatchEvent(tap), { rate: RATE, seconds: CHURN_S, maxInFlight: 100 });
  const m2 = await scrapeApiMetrics(bench).catch(() => undefined);
  const churnClient = diffClient(counter.snapshot(), c1);
  const churnServer = m1 && m2 ? diff(m2.counts, m1.counts) : undefined;
  const objects = live.model.servedKinds.reduce((n, k) => n + live.model.all(k).length, 0);
  const sandboxes = live.model.all('Sandbox').length;
  live.session.dispose();

  const kMed = median(kubectlMs),
    sMed = median(runs.map((r) => r.ms));
  const all = [...ch.latencies, ...Array<number>(ch.missed).fill(Infinity)];
  const p99 = percentile(all, 99);
  // A patch the model never showed counts as infinitely late here too.
  const afterEvent = [...ch.afterEvent, ...Array<number>(ch.missed).fill(Infinity)];
  const p99Event = percentile(afterEvent, 99);
  console.log(
    `\nbench:fleet — ${sandboxes} sandboxes in the model (${fleet} in fleet-* namespaces; ${objects} agent-sandbox objects in all), median of ${RUNS}\n`,
  );
  printTable(
    ['row', 'value', 'ratio / detail', 'goal', 'result'],
    [
      [
        'connect → model synced (every kind)',
        ms(sMed),
        `${ratio(sMed, kMed)} kubectl`,
        '≤ 1.0× kubectl',
        verdict(Number.isFinite(sMed / kMed) ? sMed <= kMed : undefined),
      ],
      ['  sandboxes informer synced', ms(median(runs.map((r) => r.sandboxesMs))), `${ratio(median(runs.map((r) => r.sandboxesMs)), kMed)} kubectl`, 'info', ''],
      ['  + sandbox pods listed, watches open', ms(median(runs.map((r) => r.allMs))), '', 'info', ''],
      ['kubectl get sandboxes -A -o json', ms(kMed), `${(out.bytes / 1024 / 1024).toFixed(1)} MB of JSON`, '', ''],
      [
        'model memory (heap after GC − before)',
        Number.isNaN(heapMb) ? 'n/a' : `${heapMb.toFixed(1)} MB`,
        Number.isNaN(heapMb) ? 'needs --expose-gc' : `${((heapMb * 1024) / Math.max(1, sandboxes)).toFixed(1)} KB per sandbox (pods included)`,
        '≤ 100 MB',
        verdict(Number.isNaN(heapMb) ? undefined : heapMb <= 100),
      ],
      [
        'churn: API event → model change, p99',
        ms(p99Event),
        `p50 ${ms(percentile(afterEvent, 50))}, max ${ms(afterEvent.length ? afterEvent.reduce((a, b) => Math.max(a, b), 0) : NaN)}, n=${afterEvent.length}`,
        '< 250 ms',
        verdict(afterEvent.length ? p99Event < 250 : undefined),
      ],
      [
        '  patch response → model change (end to end), p99',
        ms(p99),
        `p50 ${ms(percentile(all, 50))}, max ${ms(all.length ? all.reduce((a, b) => Math.max(a, b), 0) : NaN)}, n=${all.length}`,
        'info',
        '',
      ],
      [
        "  patch response → the watch event (the server's delivery), p99",
        ms(percentile(ch.delivery, 99)),
        `p50 ${ms(percentile(ch.delivery, 50))}, n=${ch.delivery.length}`,
        'info',
        '',
      ],
      [
        'churn: patches sent',
        String(ch.sent),
        `${ch.rate.toFixed(0)}/s over ${ch.targets} sandboxes; ${ch.failed} failed, ${ch.missed} never shown, ${ch.early} shown before the response`,
        `${RATE}/s`,
        ch.rate >= RATE * 0.95 ? '' : 'rate not reached',
      ],
      ['churn: tree refreshes (model change events)', String(ch.changes), `${(ch.sent / Math.max(1, ch.changes)).toFixed(1)} updates per refresh`, 'info', ''],
    ],
  );
  if (ch.lastError) console.log(`last patch error: ${ch.lastError}`);

  console.log(`\nAPI cost of the last connect → synced (model: counted at its transport; server: /metrics delta, which counts every client)\n`);
  // A watch the server ended (after 15–20 s) and the informer re-opened is still "1 watch": one open at a time.
  const rewatchOk = 1 + Math.floor(live.allMs / 1000 / WATCH_SERVER_TIMEOUT_S);
  const costRows = RESOURCES.map((r) => {
    const c = sync.client.get(r) as ClientCounts,
      sv = sync.server?.get(r);
    const extra: string[] = [];
    if (sv && sv.list > c.pages) extra.push(`${sv.list - c.pages} list page(s)`);
    if (sv && sync.gauge && sv.watchOpen > 1) extra.push(`${sv.watchOpen} watches open`);
    const ok = c.lists === 1 && c.watches >= 1 && c.watches <= rewatchOk && !extra.length;
    return [
      r,
      String(c.lists),
      String(c.pages),
      sv ? String(sv.list) : 'n/a',
      String(c.watches),
      sv && sync.gauge ? String(sv.watchOpen) : 'n/a',
      `${verdict(ok)}${extra.length ? ` (server: ${extra.join(', ')}; the model sent ${c.pages} page(s), ${c.watches} watch(es))` : ''}`,
    ];
  });
  printTable(['resource', 'lists', 'pages', 'LIST (server)', 'watches', 'WATCH open (server)', 'goal: 1 list + 1 watch'], costRows);

  console.log(
    `\nAPI cost during the churn (${CHURN_S} s): watches end after 15–20 s by design and are re-opened from the last resourceVersion; a re-list would be a fault\n`,
  );
  printTable(
    ['resource', 'lists', 'LIST (server)', 'watches opened', 'WATCH ended (server)', 'goal: no re-list'],
    RESOURCES.map((r) => {
      const c = churnClient.get(r) as ClientCounts,
        sv = churnServer?.get(r);
      const note = sv && sv.list > c.pages ? ` (server saw ${sv.list - c.pages} list page(s) not from the model's informers)` : '';
      return [
        r,
        String(c.lists),
        sv ? String(sv.list) : 'n/a',
        String(c.watches),
        sv ? String(sv.watchEnded) : 'n/a',
        `${verdict(c.lists === 0 && !note)}${note}`,
      ];
    }),
  );
  const pages = sum(sync.client, 'pages');
  // A streamed list (sendInitialEvents) is one watch request, not GETs of pages.
  const how = pages ? `in ${pages} pages` : 'streamed (sendInitialEvents, no pages)';
  console.log(`\n(model: ${sum(sync.client, 'lists')} lists ${how} and ${sum(sync.client, 'watches')} watches for the sync)`);
}

void main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
