// npm run cluster:fleet -- --sandboxes 10000 --namespaces 100 [--remove]
// Loads the local cluster with a fleet: namespaces fleet-0…fleet-(N-1), 20 warm pools (10% of the
// sandboxes as pool members), claims on those pools (5%), and plain sandboxes for the rest, 70%
// running and 30% hibernated. Pods are cheap: one container, no PVCs, on the KWOK node (whose pod
// capacity is raised to fit). Objects are server-side applied with bounded concurrency over one
// kept-alive client (never a kubectl process per object), so a second run changes nothing.
// Reports how long the apply took and how long the controller took to reconcile the fleet.
import { performance } from 'node:perf_hooks';
import { KubeClient } from '../../src/core/k8s/client';
import { clientFor } from '../integration/cluster';

const FIELD_MANAGER = 'agent-sandbox-vscode-fleet';
export const FLEET_LABEL = 'agent-sandbox-vscode/fleet';
const POOLS = 20;

export interface FleetPlan {
  namespaces: string[];
  objects: { path: string; body: Record<string, unknown> }[];
  /** Sandboxes the controller should end up with (plain + pool members + claimed). */
  sandboxes: number;
}

const CORE = '/apis/agents.x-k8s.io/v1beta1';
const EXT = '/apis/extensions.agents.x-k8s.io/v1beta1';

const podTemplate = {
  spec: {
    nodeSelector: { 'agent-sandbox.local/runtime': 'runc' },
    containers: [{ name: 'agent', image: 'busybox', command: ['sleep', 'infinity'], resources: { requests: { cpu: '1m', memory: '1Mi' } } }],
  },
};

/** The objects of a fleet of `total` sandboxes over `nsCount` namespaces (pure: tested and reused by bench:fleet). */
export function fleetPlan(total: number, nsCount: number): FleetPlan {
  const namespaces = Array.from({ length: nsCount }, (_, i) => `fleet-${i}`);
  const objects: FleetPlan['objects'] = [];
  const labels = { [FLEET_LABEL]: 'true' };
  for (const ns of namespaces)
    objects.push({ path: `/api/v1/namespaces/${ns}`, body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels } } });
  const pools = Math.min(POOLS, total);
  const members = Math.floor(total * 0.1);
  const claims = Math.floor(total * 0.05);
  for (let p = 0; p < pools; p++) {
    const ns = namespaces[p % nsCount];
    objects.push({
      path: `${EXT}/namespaces/${ns}/sandboxtemplates/fleet-tpl`,
      body: {
        apiVersion: 'extensions.agents.x-k8s.io/v1beta1',
        kind: 'SandboxTemplate',
        metadata: { name: 'fleet-tpl', namespace: ns, labels },
        spec: { podTemplate },
      },
    });
    // Pool members are what stays warm; claims take members, and the pool refills them.
    const replicas = Math.floor(members / pools) + (p < members % pools ? 1 : 0);
    objects.push({
      path: `${EXT}/namespaces/${ns}/sandboxwarmpools/pool-${p}`,
      body: {
        apiVersion: 'extensions.agents.x-k8s.io/v1beta1',
        kind: 'SandboxWarmPool',
        metadata: { name: `pool-${p}`, namespace: ns, labels },
        spec: { replicas, sandboxTemplateRef: { name: 'fleet-tpl' } },
      },
    });
  }
  for (let c = 0; c < claims; c++) {
    const p = c % pools;
    const ns = namespaces[p % nsCount];
    objects.push({
      path: `${EXT}/namespaces/${ns}/sandboxclaims/claim-${c}`,
      body: {
        apiVersion: 'extensions.agents.x-k8s.io/v1beta1',
        kind: 'SandboxClaim',
        metadata: { name: `claim-${c}`, namespace: ns, labels },
        spec: { warmPoolRef: { name: `pool-${p}` } },
      },
    });
  }
  const plain = Math.max(0, total - members - claims);
  for (let i = 0; i < plain; i++) {
    const ns = namespaces[i % nsCount];
    const name = `sb-${i}`;
    const operatingMode = i % 10 < 7 ? 'Running' : 'Suspended';
    objects.push({
      path: `${CORE}/namespaces/${ns}/sandboxes/${name}`,
      body: { apiVersion: 'agents.x-k8s.io/v1beta1', kind: 'Sandbox', metadata: { name, namespace: ns, labels }, spec: { operatingMode, podTemplate } },
    });
  }
  return { namespaces, objects, sandboxes: members + claims + plain };
}

/** Runs `fn` over `items` with at most `limit` in flight. */
export async function inParallel<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await fn(items[next++]);
    }),
  );
}

export async function applyFleet(client: KubeClient, plan: FleetPlan, concurrency = 32): Promise<void> {
  // KWOK's node keeps the status it was given: raise its pod capacity so the running part fits.
  const pods = String(plan.sandboxes + 200);
  await client.request('PATCH', '/api/v1/nodes/kwok-node/status', {
    body: { status: { capacity: { pods }, allocatable: { pods } } },
    contentType: 'application/merge-patch+json',
    what: 'raise kwok-node pod capacity',
  });
  // Namespaces and templates first: everything else lives in them.
  const first = plan.objects.filter((o) => /\/namespaces\/[^/]+$|sandboxtemplates/.test(o.path) && !o.path.includes('/sandboxes/'));
  const rest = plan.objects.filter((o) => !first.includes(o));
  const apply = async (o: FleetPlan['objects'][number]) => {
    await client.request('PATCH', `${o.path}?fieldManager=${FIELD_MANAGER}&force=true`, {
      body: o.body,
      contentType: 'application/apply-patch+yaml',
      what: `apply ${o.path}`,
    });
  };
  await inParallel(
    first.filter((o) => o.path.startsWith('/api/v1/namespaces')),
    concurrency,
    apply,
  );
  await inParallel(
    first.filter((o) => !o.path.startsWith('/api/v1/namespaces')),
    concurrency,
    apply,
  );
  await inParallel(rest, concurrency, apply);
}

export async function countFleetSandboxes(client: KubeClient): Promise<{ total: number; ready: number }> {
  let total = 0,
    ready = 0,
    cont: string | undefined;
  do {
    const page = await client.get<{
      items: { metadata: { namespace?: string }; status?: { conditions?: { type: string; status: string }[] } }[];
      metadata: { continue?: string };
    }>(`${CORE}/sandboxes?limit=1000${cont ? `&continue=${encodeURIComponent(cont)}` : ''}`);
    for (const s of page.items) {
      if (!s.metadata.namespace?.startsWith('fleet-')) continue;
      total++;
      if (s.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')) ready++;
    }
    cont = page.metadata.continue || undefined;
  } while (cont);
  return { total, ready };
}

async function removeFleet(client: KubeClient): Promise<void> {
  const list = await client.get<{ items: { metadata: { name: string } }[] }>(`/api/v1/namespaces?labelSelector=${encodeURIComponent(`${FLEET_LABEL}=true`)}`);
  await inParallel(list.items, 16, async (n) => {
    await client
      .request('DELETE', `/api/v1/namespaces/${n.metadata.name}`, { what: `delete namespace ${n.metadata.name}` })
      .catch((e: Error) => console.error(e.message));
  });
  console.log(`fleet: deleting ${list.items.length} namespaces (the namespace controller removes their objects in the background)`);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const num = (flag: string, dflt: number) => {
    const i = args.indexOf(flag);
    const v = i >= 0 ? Number(args[i + 1]) : dflt;
    if (!Number.isInteger(v) || v <= 0) throw new Error(`${flag} wants a positive whole number`);
    return v;
  };
  const client = clientFor();
  if (args.includes('--remove')) return removeFleet(client);
  const total = num('--sandboxes', 1000),
    nsCount = num('--namespaces', 10),
    waitS = num('--wait', 600);
  const plan = fleetPlan(total, nsCount);
  const t0 = performance.now();
  await applyFleet(client, plan, num('--concurrency', 32));
  const applied = performance.now() - t0;
  console.log(`fleet: applied ${plan.objects.length} objects in ${(applied / 1000).toFixed(1)} s (${Math.round(plan.objects.length / (applied / 1000))}/s)`);
  // The controller creates pool members and binds claims; wait until it has made every sandbox.
  const running = plan.sandboxes - Math.floor((total - Math.floor(total * 0.1) - Math.floor(total * 0.05)) * 0.3);
  let last = { total: 0, ready: 0 };
  while (performance.now() - t0 < waitS * 1000) {
    last = await countFleetSandboxes(client);
    if (last.total >= plan.sandboxes && last.ready >= running * 0.99) break;
    await new Promise((r) => setTimeout(r, 2000));
  }
  const done = last.total >= plan.sandboxes && last.ready >= running * 0.99;
  console.log(
    `fleet: ${last.total}/${plan.sandboxes} sandboxes, ${last.ready}/~${running} ready, ${done ? 'reconciled' : 'NOT reconciled'} after ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
  if (!done) process.exitCode = 1;
}

if (process.argv[1]?.endsWith('fleet.ts'))
  main().catch((err: Error) => {
    console.error(`fleet: ${err.message}`);
    process.exit(1);
  });
