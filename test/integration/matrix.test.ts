// The core flows on every agent-sandbox release the local set-up runs (one cluster:up): v1.0.3 (the
// main cluster, v1beta1 only) and v0.5.6 (both versions, conversion webhook) get discovery, the
// live model, warm and cold claims, hibernate/resume with a PVC file, delete, exec into gVisor and a
// sandbox that cannot be scheduled; v0.4.6 (v1alpha1, no nodes) gets discovery, list and CRUD.
// Every test title names the version and context it ran on.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { execCollect } from '../../src/core/exec/execSession';
import { discover } from '../../src/core/k8s/discovery';
import { collectionPath } from '../../src/core/k8s/resources';
import { HttpWatchTransport } from '../../src/core/k8s/watchTransport';
import { silentLogger } from '../../src/core/logging/logger';
import { claimCreator, claimServiceFqdn, claimStatus, LABEL_CREATED_BY } from '../../src/core/model/claim';
import { ClusterModel, POD_SELECTOR } from '../../src/core/model/clusterModel';
import type { KubeObject } from '../../src/core/model/objects';
import { sandboxProblem } from '../../src/core/model/podProblem';
import { launchType, podName, retainedPvcs, sandboxState } from '../../src/core/model/sandbox';
import { claimReady, clientFor, ensureCluster, kubectl, opsFor, Target, targets, uniqueName } from './cluster';
import { until } from '../support/wait';

const TIMEOUT = 120_000;
const NS = ensureCluster().demoNamespace;

function liveModel(client: ReturnType<typeof clientFor>, api: Awaited<ReturnType<typeof discover>>): ClusterModel {
  const model = new ClusterModel(
    api,
    { all: false, namespaces: [NS] },
    (kind, ns) => new HttpWatchTransport(client, collectionPath(api, kind, ns)),
    silentLogger,
  );
  model.watchPods((ns) => new HttpWatchTransport(client, `/api/v1/namespaces/${ns}/pods`, { labelSelector: POD_SELECTOR }));
  return model;
}

function gone(t: Target, resource: string, name: string): boolean {
  const { env, kubeconfig } = ensureCluster();
  const r = spawnSync(env['KUBECTL'] ?? 'kubectl', [`--context=${t.context}`, 'wait', '--for=delete', `${resource}/${name}`, '-n', NS, '--timeout=120s'], {
    env: { ...process.env, KUBECONFIG: kubeconfig },
    encoding: 'utf8',
  });
  return r.status === 0 || /not found/i.test(r.stderr);
}

function fullFlows(t: Target): void {
  describe(t.label, { timeout: 15 * 60_000 }, () => {
    it(`discovers v1beta1 ${t.label}`, async (tc) => {
      const client = clientFor(t.context);
      assert.deepEqual(await discover(client), { core: 'v1beta1', extensions: 'v1beta1' });
      const group = await client.get<{ versions: { version: string }[] }>('/apis/agents.x-k8s.io');
      const served = group.versions.map((v) => v.version).sort();
      // v1.0 serves only v1beta1 (no conversion webhook); v0.5 still serves v1alpha1 through one.
      assert.deepEqual(served, t.version.startsWith('v0.5.') ? ['v1alpha1', 'v1beta1'] : ['v1beta1']);
      tc.diagnostic(`${t.version}: agents.x-k8s.io serves ${served.join(', ')}`);
    });

    it(`lists and watches: the demo pool is ready, and a claim made with kubectl appears live ${t.label}`, async () => {
      const { client, api } = await opsFor(t.context);
      const model = liveModel(client, api);
      model.start();
      try {
        await until(model, 'python-pool 2/2 ready', () => ((model.get('SandboxWarmPool', NS, 'python-pool')?.status?.['readyReplicas'] as number) ?? 0) >= 2);
        const name = uniqueName('kubectl-claim');
        kubectl(['apply', '-f', '-'], {
          input: JSON.stringify({
            apiVersion: 'extensions.agents.x-k8s.io/v1beta1',
            kind: 'SandboxClaim',
            metadata: { name, namespace: NS },
            spec: { warmPoolRef: { name: 'python-pool' } },
          }),
          context: t.context,
        });
        await until(model, `claim ${name} bound to a Running sandbox`, () => {
          const c = model.get('SandboxClaim', NS, name);
          const sb = c && model.claimSandbox(c);
          return !!sb && sandboxState(sb) === 'Running';
        });
        const sb = model.claimSandbox(model.get('SandboxClaim', NS, name) as KubeObject) as KubeObject;
        await until(model, 'the pod watch to have the pod, named after the sandbox', () => model.sandboxPod(sb)?.metadata.name === sb.metadata.name);
        assert.equal(claimCreator(model.get('SandboxClaim', NS, name) as KubeObject), undefined, 'kubectl sets no created-by label');
        kubectl(['delete', 'sandboxclaim', '-n', NS, name, '--wait=false'], { context: t.context });
        await until(model, `claim ${name} gone from the model`, () => !model.get('SandboxClaim', NS, name));
      } finally {
        model.dispose();
      }
    });

    it(`New Claim is adopted warm from the pool, and starts cold when the pool is empty ${t.label}`, async (tc) => {
      const { ops } = await opsFor(t.context);
      const pool = await ops.get('SandboxWarmPool', NS, 'python-pool');
      await ops.waitFor('SandboxWarmPool', NS, 'python-pool', (p) => (p.status?.['readyReplicas'] as number) >= 1, { timeoutMs: TIMEOUT });
      const warm = uniqueName('warm');
      let start = Date.now();
      const created = await ops.createClaim(NS, warm, pool, { labels: { team: 'matrix' } });
      assert.equal(created.metadata.labels?.[LABEL_CREATED_BY], 'vscode');
      assert.ok(created.metadata.annotations?.['agents.x-k8s.io/client-first-requested-at'], 'the SDK-style request annotation');
      const warmSb = await ops.waitClaimReady(NS, warm, { timeoutMs: TIMEOUT });
      const warmMs = Date.now() - start;
      assert.equal(launchType(warmSb), 'warm');
      const sandboxFqdn = warmSb.status?.['serviceFQDN'] as string | undefined;
      if (t.version.startsWith('v1.') && sandboxFqdn) {
        // v1.0 mirrors the sandbox's service FQDN (set when it has a Service) into the claim; it may lag a reconcile.
        const c = await ops.waitFor('SandboxClaim', NS, warm, (o) => !!claimServiceFqdn(o), { timeoutMs: TIMEOUT });
        assert.equal(claimServiceFqdn(c), sandboxFqdn);
      }

      const emptyPool = uniqueName('empty-pool');
      kubectl(['apply', '-f', '-'], {
        input: JSON.stringify({
          apiVersion: 'extensions.agents.x-k8s.io/v1beta1',
          kind: 'SandboxWarmPool',
          metadata: { name: emptyPool, namespace: NS },
          spec: { replicas: 0, sandboxTemplateRef: pool.spec?.['sandboxTemplateRef'] },
        }),
        context: t.context,
      });
      const emptyObj = await ops.get('SandboxWarmPool', NS, emptyPool);
      const cold = uniqueName('cold');
      start = Date.now();
      await ops.createClaim(NS, cold, emptyObj, { ttlSeconds: 3600, env: [{ name: 'MATRIX', value: t.version }] });
      const coldSb = await ops.waitClaimReady(NS, cold, { timeoutMs: TIMEOUT });
      const coldMs = Date.now() - start;
      assert.equal(launchType(coldSb), 'cold');
      const coldClaim = await ops.get('SandboxClaim', NS, cold);
      assert.equal((coldClaim.spec?.['lifecycle'] as { shutdownPolicy?: string }).shutdownPolicy, 'Delete');
      tc.diagnostic(`${t.version}: time to Ready: warm ${warmMs} ms, cold ${coldMs} ms`);
      await ops.delete('SandboxClaim', NS, warm);
      await ops.delete('SandboxClaim', NS, cold);
      await ops.delete('SandboxWarmPool', NS, emptyPool);
    });

    it(`hibernate keeps the PVC and deletes the pod; resume brings a new pod with the PVC file; delete removes everything ${t.label}`, async () => {
      const { ops, client } = await opsFor(t.context);
      const claim = uniqueName('life');
      const sb = await claimReady(ops, NS, claim, { timeoutMs: TIMEOUT });
      const name = sb.metadata.name;
      const pod = podName(sb) as string;
      assert.equal(pod, name, 'the pod is named after the sandbox');
      const pvcs = retainedPvcs(sb);
      assert.ok(pvcs.length > 0, 'the demo template has a PVC');
      const marker = `kept-${Date.now()}`;
      const write = await execCollect(client, {
        namespace: NS,
        pod,
        command: ['sh', '-c', 'printf %s "$1" > workspace/marker.txt', 'sh', marker],
        timeoutMs: 30_000,
      });
      assert.deepEqual(write.result, { kind: 'exited', code: 0 }, write.stderr.toString());
      const uidBefore = kubectl(['get', 'pod', '-n', NS, pod, '-o', 'jsonpath={.metadata.uid}'], { context: t.context }).trim();

      await ops.setSuspended(NS, name, true);
      const hibernated = await ops.waitHibernated(NS, name, { timeoutMs: TIMEOUT });
      assert.equal(sandboxState(hibernated), 'Hibernated');
      assert.equal(
        kubectl(['get', 'pods', '-n', NS, '--field-selector', `metadata.name=${pod}`, '-o', 'name'], { context: t.context }).trim(),
        '',
        'the pod is gone',
      );
      for (const pvc of pvcs)
        assert.match(kubectl(['get', 'pvc', '-n', NS, pvc, '-o', 'jsonpath={.status.phase}'], { context: t.context }), /Bound/, `PVC ${pvc} is kept`);

      await ops.setSuspended(NS, name, false);
      const resumed = await ops.waitReady(NS, name, { timeoutMs: TIMEOUT });
      const newPod = podName(resumed) as string;
      assert.notEqual(kubectl(['get', 'pod', '-n', NS, newPod, '-o', 'jsonpath={.metadata.uid}'], { context: t.context }).trim(), uidBefore, 'a new pod');
      const read = await execCollect(client, { namespace: NS, pod: newPod, command: ['cat', 'workspace/marker.txt'], timeoutMs: 30_000 });
      assert.equal(read.stdout.toString(), marker, 'the PVC file survived hibernate and resume');

      await ops.delete('SandboxClaim', NS, claim);
      await ops
        .waitFor('Sandbox', NS, name, () => false, { timeoutMs: TIMEOUT })
        .then(
          () => assert.fail('sandbox should be deleted'),
          (err: Error) => assert.match(err.message, /deleted|does not exist/),
        );
      assert.ok(gone(t, 'pod', newPod), 'pod deleted');
      for (const pvc of pvcs) assert.ok(gone(t, 'pvc', pvc), `PVC ${pvc} deleted`);
    });

    it(`exec into a gvisor pod runs inside gVisor ${t.label}`, async () => {
      const { ops, client } = await opsFor(t.context);
      const claim = uniqueName('gv');
      const sb = await claimReady(ops, NS, claim, { timeoutMs: TIMEOUT });
      const r = await execCollect(client, { namespace: NS, pod: podName(sb) as string, command: ['uname', '-r'], timeoutMs: 30_000 });
      assert.deepEqual(r.result, { kind: 'exited', code: 0 });
      assert.equal(r.stdout.toString().trim(), '4.4.0', 'gVisor reports kernel 4.4.0');
      await ops.delete('SandboxClaim', NS, claim);
    });

    it(`a sandbox that asks for more than a node has says "unschedulable" with the scheduler's message ${t.label}`, async (tc) => {
      const { client, api, ops } = await opsFor(t.context);
      const template = uniqueName('huge');
      const pool = uniqueName('huge-pool');
      const claim = uniqueName('huge');
      kubectl(['apply', '-f', '-'], {
        input: JSON.stringify({
          apiVersion: 'extensions.agents.x-k8s.io/v1beta1',
          kind: 'SandboxTemplate',
          metadata: { name: template, namespace: NS },
          spec: {
            podTemplate: {
              spec: {
                runtimeClassName: 'gvisor',
                containers: [
                  { name: 'agent', image: 'python:3.12-slim', command: ['sleep', 'infinity'], resources: { requests: { cpu: '64', memory: '1Gi' } } },
                ],
              },
            },
          },
        }),
        context: t.context,
      });
      kubectl(['apply', '-f', '-'], {
        input: JSON.stringify({
          apiVersion: 'extensions.agents.x-k8s.io/v1beta1',
          kind: 'SandboxWarmPool',
          metadata: { name: pool, namespace: NS },
          spec: { replicas: 0, sandboxTemplateRef: { name: template } },
        }),
        context: t.context,
      });
      const model = liveModel(client, api);
      model.start();
      try {
        await ops.createClaim(NS, claim, await ops.get('SandboxWarmPool', NS, pool));
        let problem: ReturnType<typeof sandboxProblem>;
        await until(
          model,
          'the sandbox to explain why it is stuck',
          () => {
            const c = model.get('SandboxClaim', NS, claim);
            const sb = c && model.claimSandbox(c);
            problem = sb && sandboxProblem(sb, model.sandboxPod(sb));
            return !!problem && !!model.sandboxPod(sb as KubeObject);
          },
          TIMEOUT,
        );
        assert.equal(problem?.summary, 'unschedulable');
        assert.match(problem?.message ?? '', /Insufficient cpu/, "the scheduler's own message");
        assert.equal(claimStatus(model.get('SandboxClaim', NS, claim) as KubeObject).status, 'Pending');
        tc.diagnostic(`${t.version}: ${problem?.message}`);
      } finally {
        model.dispose();
        await ops.delete('SandboxClaim', NS, claim).catch(() => undefined);
        kubectl(['delete', `sandboxwarmpool/${pool}`, `sandboxtemplate/${template}`, '-n', NS, '--wait=false'], { context: t.context });
      }
    });
  });
}

function crudFlows(t: Target): void {
  describe(t.label, { timeout: 5 * 60_000 }, () => {
    it(`discovers v1alpha1, lists, creates, reads and deletes a claim ${t.label}`, async (tc) => {
      const { client, api, ops } = await opsFor(t.context);
      assert.deepEqual(api, { core: 'v1alpha1', extensions: 'v1alpha1' });
      const sandboxes = await client.get<{ items: KubeObject[] }>(collectionPath(api, 'Sandbox', NS));
      assert.ok(Array.isArray(sandboxes.items));
      const pool = await ops.get('SandboxWarmPool', NS, 'python-pool');
      const name = uniqueName('alpha');
      const created = await ops.createClaim(NS, name, pool);
      assert.equal(created.apiVersion, 'extensions.agents.x-k8s.io/v1alpha1');
      assert.equal((await ops.get('SandboxClaim', NS, name)).metadata.labels?.[LABEL_CREATED_BY], 'vscode');
      await ops.delete('SandboxClaim', NS, name);
      await ops
        .waitFor('SandboxClaim', NS, name, () => false, { timeoutMs: 60_000 })
        .then(
          () => assert.fail('claim should be deleted'),
          (err: Error) => assert.match(err.message, /deleted|does not exist/),
        );
      tc.diagnostic(`${t.version}: ${sandboxes.items.length} sandboxes listed`);
    });
  });
}

for (const t of targets()) (t.full ? fullFlows : crudFlows)(t);
