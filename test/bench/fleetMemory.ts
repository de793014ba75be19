// The model at fleet size: serves N synthetic sandboxes as the controller writes them (and their
// pods and claims) from a loopback API server, connects a ClusterModel through the real HTTP
// transport (streamed or paged lists), and reports the heap the model holds once synced (after GC,
// minus the baseline taken before it connected) and the time from start() to synced.
// Run it with --expose-gc (fleetModel.bench.ts does); without it the heap figure is not meaningful.
import { KubeConfig } from '@kubernetes/client-node';
import { performance } from 'node:perf_hooks';
import { KubeClient } from '../../src/core/k8s/client';
import { ALL_KINDS, ApiModel, collectionPath } from '../../src/core/k8s/resources';
import { StreamingListChoice } from '../../src/core/k8s/streamingList';
import { HttpWatchTransport } from '../../src/core/k8s/watchTransport';
import { silentLogger } from '../../src/core/logging/logger';
import { ClusterModel, POD_SELECTOR } from '../../src/core/model/clusterModel';
import type { KubeObject } from '../../src/core/model/objects';
import { agentPodTemplate, fleetClaim, fleetPod, fleetSandbox } from '../support/fleetObjects';
import { Collection, FleetServer } from './fleetServer';

export interface FleetOptions {
  sandboxes: number;
  /** Running sandboxes, each with its pod (default: all). */
  pods?: number;
  /** Every this-many-th sandbox is idle in its pool (no claim); the others are claimed. */
  idleEvery?: number;
  namespaces?: number;
  list: 'stream' | 'paged';
}

export interface FleetResult {
  heapMb: number;
  syncedMs: number;
  objects: { sandboxes: number; pods: number; claims: number; pools: number; templates: number };
  /** JSON bytes the server sent for the fleet's objects (one copy). */
  servedMb: number;
  requests: FleetServer['counts'];
}

const API: ApiModel = { core: 'v1beta1', extensions: 'v1beta1' };

export function fleetCollections(o: FleetOptions): Collection[] {
  const nss = o.namespaces ?? 20;
  const idleEvery = o.idleEvery ?? 10;
  const ns = (i: number) => `team-${i % nss}`;
  const sandboxes: KubeObject[] = [];
  const claims: KubeObject[] = [];
  const pods: KubeObject[] = [];
  for (let i = 0; i < o.sandboxes; i++) {
    const idle = i % idleEvery === 0;
    sandboxes.push(fleetSandbox(i, ns(i), idle));
    if (!idle) claims.push(fleetClaim(i, ns(i)));
    if (i < (o.pods ?? o.sandboxes)) pods.push(fleetPod(i, ns(i)));
  }
  const pools = Array.from({ length: nss }, (_, k): KubeObject => ({
    apiVersion: 'extensions.agents.x-k8s.io/v1beta1',
    kind: 'SandboxWarmPool',
    metadata: { name: 'agent-pool', namespace: `team-${k}`, resourceVersion: '1' },
    spec: { replicas: 50, sandboxTemplateRef: { name: 'agent-template' } },
    status: { replicas: 50, readyReplicas: 50 },
  }));
  const templates = Array.from({ length: nss }, (_, k): KubeObject => ({
    apiVersion: 'extensions.agents.x-k8s.io/v1beta1',
    kind: 'SandboxTemplate',
    metadata: { name: 'agent-template', namespace: `team-${k}`, resourceVersion: '1' },
    spec: { podTemplate: agentPodTemplate(k), envVarsInjectionPolicy: 'Disallowed' },
  }));
  const ext = 'extensions.agents.x-k8s.io/v1beta1';
  return [
    { path: collectionPath(API, 'Sandbox'), kind: 'Sandbox', apiVersion: 'agents.x-k8s.io/v1beta1', objects: sandboxes },
    { path: collectionPath(API, 'SandboxClaim'), kind: 'SandboxClaim', apiVersion: ext, objects: claims },
    { path: collectionPath(API, 'SandboxWarmPool'), kind: 'SandboxWarmPool', apiVersion: ext, objects: pools },
    { path: collectionPath(API, 'SandboxTemplate'), kind: 'SandboxTemplate', apiVersion: ext, objects: templates },
    { path: '/api/v1/pods', kind: 'Pod', apiVersion: 'v1', objects: pods },
  ];
}

export function clientFor(server: string): KubeClient {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'fleet', server }],
    users: [{ name: 'u', token: 'bench' }],
    contexts: [{ name: 'fleet', cluster: 'fleet', user: 'u' }],
    currentContext: 'fleet',
  });
  return new KubeClient(kc, 'fleet', silentLogger, {});
}

/** Heap in use after full collections, with turns of the event loop between them (some memory is only released after one). */
async function gcHeap(): Promise<number> {
  const gc = (globalThis as { gc?: () => void }).gc;
  for (let i = 0; i < 4; i++) {
    gc?.();
    await new Promise((r) => setTimeout(r, 20));
  }
  return process.memoryUsage().heapUsed;
}

/** The fleet's server; the objects themselves go out of scope here (the server keeps Buffers only), so they do not count in the model's heap. */
function serve(o: FleetOptions): { server: FleetServer; objects: FleetResult['objects'] } {
  const c: Collection[] = fleetCollections(o);
  const objects = {
    sandboxes: c[0].objects.length,
    claims: c[1].objects.length,
    pools: c[2].objects.length,
    templates: c[3].objects.length,
    pods: c[4].objects.length,
  };
  return { server: new FleetServer(c), objects };
}

/** Builds the fleet, serves it, connects a model and measures it. The server is started and stopped here. */
export async function measureFleet(o: FleetOptions): Promise<FleetResult> {
  const { server, objects } = serve(o);
  const servedMb = server.servedBytes / 1024 / 1024;
  const url = await server.listen();
  const client = clientFor(url);
  const baseline = await gcHeap();

  const choice = o.list === 'stream' ? new StreamingListChoice() : undefined;
  const transport = (path: string, labelSelector?: string) =>
    new HttpWatchTransport(client, path, labelSelector ? { labelSelector } : {}, choice ? { streamingList: choice } : {});
  const model = new ClusterModel(API, { all: true }, (kind) => transport(collectionPath(API, kind)), silentLogger, 0);
  model.watchPods(() => transport('/api/v1/pods', POD_SELECTOR));
  const t0 = performance.now();
  const synced = new Promise<void>((resolve) => {
    const check = () => {
      const statuses = model.kindStatuses();
      if (!ALL_KINDS.every((k) => statuses.get(k)?.state === 'synced')) return;
      const first = model.list('Sandbox', 'team-0')[0];
      if (objects.pods && !(first && model.sandboxPod(first))) return;
      sub.dispose();
      resolve();
    };
    const sub = model.onDidChange(check);
  });
  model.start();
  await synced;
  const syncedMs = performance.now() - t0;
  // What the tree asks for: the namespaces and each kind's sorted list (the model caches them).
  for (const ns of model.namespaces()) for (const kind of ALL_KINDS) model.list(kind, ns);
  const heapMb = ((await gcHeap()) - baseline) / 1024 / 1024;
  const requests = { ...server.counts };
  model.dispose();
  server.close();
  return { heapMb, syncedMs, objects, servedMb, requests };
}
