// The extension's cluster layer against the real local cluster (real kube-apiserver, real
// agent-sandbox controller, kwok nodes): RBAC, missing CRDs, an unreachable cluster, API server
// restart. The flows that run on every agent-sandbox version are in matrix.test.ts.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { before, describe, it } from 'node:test';
import { loadKubeconfig, resolveKubeconfigFiles } from '../../src/core/k8s/kubeconfig';
import { silentLogger } from '../../src/core/logging/logger';
import { ClusterModel } from '../../src/core/model/clusterModel';
import type { KubeObject } from '../../src/core/model/objects';
import { ContextSession } from '../../src/core/session';
import { HttpWatchTransport } from '../../src/core/k8s/watchTransport';
import { collectionPath } from '../../src/core/k8s/resources';
import { ensureCluster, kubectl, opsFor, uniqueName } from './cluster';
import { until } from '../support/wait';

let NS = 'agent-sandbox-demo';

function kubeconfigFile(): string {
  return ensureCluster().kubeconfig;
}

describe('cluster layer against the local cluster', { timeout: 15 * 60_000 }, () => {
  before(() => {
    NS = ensureCluster().demoNamespace;
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
      await until(
        st.model,
        'claims forbidden and sandboxes synced',
        () => st.model.status('SandboxClaim', NS).state === 'error' && st.model.status('Sandbox', NS).state === 'synced',
      );
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
    cfg.loadFromOptions({
      clusters: [...cfg.clusters, broken],
      users: cfg.users,
      contexts: [...cfg.contexts, { name: 'unreachable', cluster: 'unreachable', user: cfg.contexts[0].user }],
      currentContext: cfg.currentContext,
    });
    const session = new ContextSession(cfg, 'unreachable', { all: true }, silentLogger);
    await session.connect();
    const st = session.state;
    assert.equal(st.kind, 'unreachable');
    if (st.kind === 'unreachable') assert.match(st.error.message, /Cannot reach the cluster at https:\/\/127\.0\.0\.1:1/);
    session.dispose();
  });

  it('the live model recovers after kube-apiserver is killed and restarted: no lost or stale objects', async () => {
    const { client, api, ops } = await opsFor();
    const model = new ClusterModel(
      api,
      { all: false, namespaces: [NS] },
      (kind, ns) => new HttpWatchTransport(client, collectionPath(api, kind, ns)),
      silentLogger,
    );
    model.start();
    const pool = await ops.get('SandboxWarmPool', NS, 'python-pool');
    const doomed = uniqueName('doomed');
    const born = uniqueName('born');
    try {
      await ops.createClaim(NS, doomed, pool);
      await until(model, 'doomed claim visible', () => !!model.get('SandboxClaim', NS, doomed));
      const r = spawnSync('bash', ['test/cluster/restart-apiserver.sh'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      assert.equal(r.status, 0, `restart-apiserver.sh failed: ${r.stderr}`);
      // Changes made after the restart must reach the model through its reconnected watches.
      await ops.createClaim(NS, born, pool);
      await ops.delete('SandboxClaim', NS, doomed);
      await until(model, 'born present and doomed gone', () => !!model.get('SandboxClaim', NS, born) && !model.get('SandboxClaim', NS, doomed), 120_000);
      const truth = JSON.parse(kubectl(['get', 'sandboxclaims', '-n', NS, '-o', 'json']))
        .items.map((o: KubeObject) => o.metadata.name)
        .sort();
      await until(
        model,
        'model matches kubectl',
        () => JSON.stringify(model.list('SandboxClaim', NS).map((o) => o.metadata.name)) === JSON.stringify(truth),
        60_000,
      );
    } finally {
      model.dispose();
      // A failed run must not leave its claims holding pool sandboxes for the journeys after it.
      kubectl(['delete', 'sandboxclaims', doomed, born, '-n', NS, '--ignore-not-found', '--wait=false']);
    }
  });
});
