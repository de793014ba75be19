// Shared by every integration test: brings up (or reuses) the real local cluster and gives the
// tests a KubeClient per context, built by the extension's own cluster layer.
import { spawnSync } from 'node:child_process';
import { KubeClient } from '../../src/core/k8s/client';
import { discover } from '../../src/core/k8s/discovery';
import { configForContext, loadKubeconfig, resolveKubeconfigFiles } from '../../src/core/k8s/kubeconfig';
import { SandboxOperations } from '../../src/core/k8s/operations';
import { silentLogger } from '../../src/core/logging/logger';
import type { KubeObject } from '../../src/core/model/objects';
import { CLUSTER_RUN_DIR, clusterEnv, kubectl as kubectlOutside, type KubectlOptions } from '../support/cluster';

export const RUN_DIR = CLUSTER_RUN_DIR;

export interface ClusterEnv {
  kubeconfig: string;
  env: Record<string, string>;
  demoNamespace: string;
}

let cached: ClusterEnv | undefined;

/** Starts the cluster if it is not running (up.sh is idempotent) and reads its env file. */
export function ensureCluster(): ClusterEnv {
  if (cached) return cached;
  const r = spawnSync('bash', ['test/cluster/up.sh'], { stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) throw new Error('test/cluster/up.sh failed; see its output above');
  const env = clusterEnv();
  cached = { kubeconfig: env['KUBECONFIG'], env, demoNamespace: env['DEMO_NAMESPACE'] ?? 'agent-sandbox-demo' };
  return cached;
}

/** A client for one context of the local cluster's kubeconfig, as the extension builds it. */
export function clientFor(context = 'agent-sandbox-local'): KubeClient {
  const { kubeconfig } = ensureCluster();
  const loaded = loadKubeconfig(resolveKubeconfigFiles(kubeconfig));
  return new KubeClient(configForContext(loaded.config, context), context, silentLogger);
}

export async function opsFor(
  context = 'agent-sandbox-local',
): Promise<{ client: KubeClient; ops: SandboxOperations; api: Awaited<ReturnType<typeof discover>> }> {
  const client = clientFor(context);
  const api = await discover(client);
  return { client, ops: new SandboxOperations(client, api, silentLogger), api };
}

/** kubectl against the local cluster (started first), for setting up and checking from outside the extension. */
export function kubectl(args: string[], opts: KubectlOptions = {}): string {
  ensureCluster();
  return kubectlOutside(args, opts);
}

/** One agent-sandbox release the local set-up runs, and the context that reaches it. */
export interface Target {
  version: string;
  context: string;
  api: 'v1beta1' | 'v1alpha1';
  /** A full cluster (nodes, gVisor, PVCs): every flow runs; otherwise discovery/list/CRUD only. */
  full: boolean;
  /** The test title suffix that names the version: "on agent-sandbox v1.0.3". */
  label: string;
}

/**
 * The version matrix one cluster:up gives: the main cluster (v1.0.3 by default), the v0.5 cluster
 * (both API versions, conversion webhook) and the v1alpha1 control plane (v0.4.6, no nodes).
 */
export function targets(): Target[] {
  const { env } = ensureCluster();
  const t = (version: string, context: string, api: Target['api'], full: boolean): Target => ({
    version,
    context,
    api,
    full,
    label: `on agent-sandbox ${version} (${context})`,
  });
  const out = [t(env['AS_VERSION'], env['CONTEXT'] ?? 'agent-sandbox-local', env['AS_API_VERSION'] === 'v1alpha1' ? 'v1alpha1' : 'v1beta1', true)];
  if (env['CONTEXT_V05'] && env['AS_V05_VERSION']) out.push(t(env['AS_V05_VERSION'], env['CONTEXT_V05'], 'v1beta1', true));
  if (env['CONTEXT_V1ALPHA1'] && env['AS_V1ALPHA1_VERSION'] !== env['AS_VERSION'])
    out.push(t(env['AS_V1ALPHA1_VERSION'], env['CONTEXT_V1ALPHA1'], 'v1alpha1', false));
  return out;
}

/**
 * Claims `claim` from a warm pool (python-pool by default) and waits until its sandbox is Ready.
 * The caller names the claim first, so its clean-up can delete it even when this fails.
 */
export async function claimReady(ops: SandboxOperations, namespace: string, claim: string, o: { pool?: string; timeoutMs?: number } = {}): Promise<KubeObject> {
  const pool = await ops.get('SandboxWarmPool', namespace, o.pool ?? 'python-pool');
  await ops.createClaim(namespace, claim, pool);
  return ops.waitClaimReady(namespace, claim, { timeoutMs: o.timeoutMs ?? 180_000 });
}

export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.floor(Math.random() * 1e4)}`;
}
