// The extension's cluster layer against the real local cluster (real kube-apiserver, real
// agent-sandbox controller, kwok nodes, gVisor): discovery, live model, claim, hibernate/resume,
// delete, RBAC, missing CRDs, API server restart, exec into gVisor.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { before, describe, it } from 'node:test';
import { execCollect } from '../../src/core/exec/execSession';
import { discover } from '../../src/core/k8s/discovery';
import { loadKubeconfig, resolveKubeconfigFiles } from '../../src/core/k8s/kubeconfig';
import { silentLogger } from '../../src/core/logging/logger';
import { ClusterModel } from '../../src/core/model/clusterModel';
import type { KubeObject } from '../../src/core/model/objects';
import { launchType, podName, retainedPvcs, sandboxState } from '../../src/core/model/sandbox';
import { ContextSession } from '../../src/core/session';
import { HttpWatchTransport } from '../../src/core/k8s/watchTransport';
import { collectionPath } from '../../src/core/k8s/resources';
import { clientFor, ensureCluster, kubectl, opsFor, uniqueName } from './cluster';

const TIMEOUT = 120_000;
let NS = 'agent-sandbox-demo';

/** Resolves when the model satisfies a predicate (checked on every change), or rejects after a timeout. */
function until(model: ClusterModel, what: string, predicate: () => boolean, timeoutMs = 60_000): Promise<void> {
  return new Promise((resolve, reject) => {
    if (predicate()) return resolve();
    const timer = setTimeout(() => { sub.dispose(); reject(new Error(`timed out waiting for ${what}`)); }, timeoutMs);
    const sub = model.onDidChange(() => {
      if (predicate()) { clearTimeout(timer); sub.dispose(); resolve(); }
    });
  });
}

function kubeconfigFile(): string {
  return ensureCluster().kubeconfig;
}

function podExists(ns: string, pod: string): boolean {
  const out = kubectl(['get', 'pods', '-n', ns, '--field-selector', `metadata.name=${pod}`, '-o', 'name']);
  return out.trim() !== '';
}

describe('cluster layer against the local cluster', { timeout: 15 * 60_000 }, () => {
  before(() => {
    NS = ensureCluster().demoNamespace;
  });

  it('discovers agent-sandbox v1beta1 on v0.5.6', async () => {
    const api = await discover(clientFor('agent-sandbox-local'));
    assert.deepEqual(api, { core: 'v1beta1', extensions: 'v1beta1' });
  });

  it('discovers v1alpha1 on an agent-sandbox v0.4.6 control plane and lists through it', async (t) => {
    const contexts = loadKubeconfig(resolveKubeconfigFiles(kubeconfigFile())).contexts;
    const ctx = contexts.find((c) => /v1alpha1|v046|0-4-6/.test(c));
    assert.ok(ctx, `the local kubeconfig has a v0.4.6 (v1alpha1) context; contexts: ${contexts.join(', ')}`);
    const client = clientFor(ctx);
    const api = await discover(client);
    assert.deepEqual(api, { core: 'v1alpha1', extensions: 'v1alpha1' });
    const list = await client.get<{ items: KubeObject[] }>(collectionPath(api, 'Sandbox'));
    assert.ok(Array.isArray(list.items));
    t.diagnostic(`v1alpha1 sandboxes listed: ${list.items.length}`);
  });

  it('lists and watches: the demo pool is ready, and a claim made with kubectl appears live', async () => {
    const { client, api } = await opsFor();
    const model = new ClusterModel(api, { all: false, namespaces: [NS] }, (kind, ns) => new HttpWatchTransport(client, collectionPath(api, kind, ns)), silentLogger);
    model.start();
    try {
      await until(model, 'python-pool 2/2 ready', () => {
        const pool = model.get('SandboxWarmPool', NS, 'python-pool');
        return !!pool && (pool.status?.readyReplicas as number) >= 2;
      });
      const name = uniqueName('kubectl-claim');
      kubectl(['apply', '-f', '-'], JSON.stringify({ apiVersion: 'extensions.agents.x-k8s.io/v1beta1', kind: 'SandboxClaim', metadata: { name, namespace: NS }, spec: { warmPoolRef: { name: 'python-pool' } } }));
      await until(model, `claim ${name} in the model`, () => !!model.get('SandboxClaim', NS, name));
      await until(model, `claim ${name} bound to a Running sandbox`, () => {
        const c = model.get('SandboxClaim', NS, name);
        const sb = c && model.claimSandbox(c);
        return !!sb && sandboxState(sb) === 'Running';
      });
      kubectl(['delete', 'sandboxclaim', '-n', NS, name, '--wait=false']);
      await until(model, `claim ${name} gone from the model`, () => !model.get('SandboxClaim', NS, name));
    } finally {
      model.dispose();
    }
  });

  it('New Claim is adopted warm from the pool, and starts cold when the pool is empty', async (t) => {
    const { ops } = await opsFor();
    const pool = await ops.get('SandboxWarmPool', NS, 'python-pool');
    await ops.waitFor('SandboxWarmPool', NS, 'python-pool', (p) => (p.status?.readyReplicas as number) >= 1, { timeoutMs: TIMEOUT });
    const warm = uniqueName('warm');
    let start = Date.now();
    await ops.createClaim(NS, warm, pool);
    const warmSb = await ops.waitClaimReady(NS, warm, { timeoutMs: TIMEOUT });
    const warmMs = Date.now() - start;
    assert.equal(launchType(warmSb), 'warm');

    // An empty pool of the same template: the claim must be created cold.
    const emptyPool = uniqueName('empty-pool');
    kubectl(['apply', '-f', '-'], JSON.stringify({ apiVersion: 'extensions.agents.x-k8s.io/v1beta1', kind: 'SandboxWarmPool', metadata: { name: emptyPool, namespace: NS }, spec: { replicas: 0, sandboxTemplateRef: pool.spec?.sandboxTemplateRef } }));
    const emptyObj = await ops.get('SandboxWarmPool', NS, emptyPool);
    const cold = uniqueName('cold');
    start = Date.now();
    await ops.createClaim(NS, cold, emptyObj);
    const coldSb = await ops.waitClaimReady(NS, cold, { timeoutMs: TIMEOUT });
    const coldMs = Date.now() - start;
    assert.equal(launchType(coldSb), 'cold');
    t.diagnostic(`time to Ready: warm ${warmMs} ms, cold ${coldMs} ms`);
    await ops.delete('SandboxClaim', NS, warm);
    await ops.delete('SandboxClaim', NS, cold);
    await ops.delete('SandboxWarmPool', NS, emptyPool);
  });

  it('hibernate keeps the PVC and deletes the pod; resume brings a new pod with the PVC file; delete removes everything', async () => {
    const { ops, client } = await opsFor();
    const pool = await ops.get('SandboxWarmPool', NS, 'python-pool');
    const claim = uniqueName('life');
    await ops.createClaim(NS, claim, pool);
    const sb = await ops.waitClaimReady(NS, claim, { timeoutMs: TIMEOUT });
    const name = sb.metadata.name;
    const pod = podName(sb) as string;
    const pvcs = retainedPvcs(sb);
    assert.ok(pvcs.length > 0, 'the demo template has a PVC');
    const mount = ensureCluster().env.PVC_MOUNT ?? 'workspace';
    const marker = `kept-${Date.now()}`;
    const write = await execCollect(client, { namespace: NS, pod, command: ['sh', '-c', 'printf %s "$1" > "$2/marker.txt"', 'sh', marker, mount], timeoutMs: 30_000 });
    assert.deepEqual(write.result, { kind: 'exited', code: 0 }, write.stderr.toString());
    const uidBefore = kubectl(['get', 'pod', '-n', NS, pod, '-o', 'jsonpath={.metadata.uid}']).trim();

    await ops.setSuspended(NS, name, true);
    const hibernated = await ops.waitHibernated(NS, name, { timeoutMs: TIMEOUT });
    assert.equal(sandboxState(hibernated), 'Hibernated');
    assert.equal(hibernated.status?.conditions && (hibernated.status.conditions as { type: string; status: string }[]).find((c) => c.type === 'Suspended')?.status, 'True');
    assert.equal(podExists(NS, pod), false, 'the pod is gone');
    for (const pvc of pvcs) assert.match(kubectl(['get', 'pvc', '-n', NS, pvc, '-o', 'jsonpath={.status.phase}']), /Bound/, `PVC ${pvc} is kept`);

    await ops.setSuspended(NS, name, false);
    const resumed = await ops.waitReady(NS, name, { timeoutMs: TIMEOUT });
    const newPod = podName(resumed) as string;
    const uidAfter = kubectl(['get', 'pod', '-n', NS, newPod, '-o', 'jsonpath={.metadata.uid}']).trim();
    assert.notEqual(uidAfter, uidBefore, 'a new pod');
    const read = await execCollect(client, { namespace: NS, pod: newPod, command: ['cat', `${mount}/marker.txt`], timeoutMs: 30_000 });
    assert.equal(read.stdout.toString(), marker, 'the PVC file survived hibernate and resume');

    await ops.delete('SandboxClaim', NS, claim);
    await ops.waitFor('Sandbox', NS, name, () => false, { timeoutMs: TIMEOUT }).then(
      () => assert.fail('sandbox should be deleted'),
      (err: Error) => assert.match(err.message, /deleted|does not exist/),
    );
    // The PVC and pod are garbage-collected by kube-controller-manager: wait for them on a watch.
    const gone = (resource: string, n: string) => {
      const r = spawnSync(ensureCluster().env.KUBECTL ?? 'kubectl', ['wait', '--for=delete', `${resource}/${n}`, '-n', NS, '--timeout=120s'], { env: { ...process.env, KUBECONFIG: kubeconfigFile() }, encoding: 'utf8' });
      return r.status === 0 || /not found/i.test(r.stderr);
    };
    assert.ok(gone('pod', newPod), 'pod deleted');
    for (const pvc of pvcs) assert.ok(gone('pvc', pvc), `PVC ${pvc} deleted`);
  });

  it('a user who may not list claims sees the forbidden state while sandboxes still list', async () => {
    const loaded = loadKubeconfig(resolveKubeconfigFiles(kubeconfigFile()));
    const session = new ContextSession(loaded.config, 'agent-sandbox-limited', { all: false, namespaces: [NS] }, silentLogger);
    try {
      await session.connect();
      const st = session.state;
      assert.equal(st.kind, 'ready');
      if (st.kind !== 'ready') return;
      st.model.start();
      await until(st.model, 'claims forbidden and sandboxes synced', () => st.model.status('SandboxClaim', NS).state === 'error' && st.model.status('Sandbox', NS).state === 'synced');
      const claims = st.model.status('SandboxClaim', NS);
      assert.ok(claims.state === 'error' && claims.error.isForbidden, JSON.stringify(claims));
      assert.ok(st.model.list('Sandbox', NS).length >= 2, 'sandboxes are listed');
    } finally {
      session.dispose();
    }
  });

  it('a cluster without the CRDs reports "not installed"', async () => {
    const loaded = loadKubeconfig(resolveKubeconfigFiles(kubeconfigFile()));
    const session = new ContextSession(loaded.config, 'agent-sandbox-bare', { all: true }, silentLogger);
    try {
      await session.connect();
      assert.equal(session.state.kind, 'not-installed');
    } finally {
      session.dispose();
    }
  });

  it('an unreachable cluster is reported, not hung on', async () => {
    const loaded = loadKubeconfig(resolveKubeconfigFiles(kubeconfigFile()));
    const cfg = loaded.config;
    const broken = { ...cfg.clusters[0], name: 'unreachable', server: 'https://127.0.0.1:1' };
    cfg.loadFromOptions({ clusters: [...cfg.clusters, broken], users: cfg.users, contexts: [...cfg.contexts, { name: 'unreachable', cluster: 'unreachable', user: cfg.contexts[0].user }], currentContext: cfg.currentContext });
    const session = new ContextSession(cfg, 'unreachable', { all: true }, silentLogger);
    await session.connect();
    const st = session.state;
    assert.equal(st.kind, 'unreachable');
    if (st.kind === 'unreachable') assert.match(st.error.message, /Cannot reach the cluster at https:\/\/127\.0\.0\.1:1/);
    session.dispose();
  });

  it('the live model recovers after kube-apiserver is killed and restarted: no lost or stale objects', async () => {
    const { client, api, ops } = await opsFor();
    const model = new ClusterModel(api, { all: false, namespaces: [NS] }, (kind, ns) => new HttpWatchTransport(client, collectionPath(api, kind, ns)), silentLogger);
    model.start();
    const pool = await ops.get('SandboxWarmPool', NS, 'python-pool');
    const doomed = uniqueName('doomed');
    try {
      await ops.createClaim(NS, doomed, pool);
      await until(model, 'doomed claim visible', () => !!model.get('SandboxClaim', NS, doomed));
      const r = spawnSync('bash', ['test/cluster/restart-apiserver.sh'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      assert.equal(r.status, 0, `restart-apiserver.sh failed: ${r.stderr}`);
      // Changes made after the restart must reach the model through its reconnected watches.
      const born = uniqueName('born');
      await ops.createClaim(NS, born, pool);
      await ops.delete('SandboxClaim', NS, doomed);
      await until(model, 'born present and doomed gone', () => !!model.get('SandboxClaim', NS, born) && !model.get('SandboxClaim', NS, doomed), 120_000);
      const truth = JSON.parse(kubectl(['get', 'sandboxclaims', '-n', NS, '-o', 'json'])).items.map((o: KubeObject) => o.metadata.name).sort();
      await until(model, 'model matches kubectl', () => JSON.stringify(model.list('SandboxClaim', NS).map((o) => o.metadata.name)) === JSON.stringify(truth), 60_000);
      await ops.delete('SandboxClaim', NS, born);
    } finally {
      model.dispose();
    }
  });

  it('exec into a gvisor pod runs inside gVisor', async () => {
    const { ops, client } = await opsFor();
    const pool = await ops.get('SandboxWarmPool', NS, 'python-pool');
    const claim = uniqueName('gv');
    await ops.createClaim(NS, claim, pool);
    const sb = await ops.waitClaimReady(NS, claim, { timeoutMs: TIMEOUT });
    const r = await execCollect(client, { namespace: NS, pod: podName(sb) as string, command: ['uname', '-r'], timeoutMs: 30_000 });
    assert.deepEqual(r.result, { kind: 'exited', code: 0 });
    assert.equal(r.stdout.toString().trim(), '4.4.0', 'gVisor reports kernel 4.4.0');
    const d = await execCollect(client, { namespace: NS, pod: podName(sb) as string, command: ['dmesg'], timeoutMs: 30_000 });
    assert.match(d.stdout.toString(), /gVisor/);
    await ops.delete('SandboxClaim', NS, claim);
  });
});
