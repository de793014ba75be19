// Shared by every integration test: brings up (or reuses) the real local cluster and gives the
// tests a KubeClient per context, built by the extension's own cluster layer.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { KubeClient } from '../../src/core/k8s/client';
import { discover } from '../../src/core/k8s/discovery';
import { configForContext, loadKubeconfig, resolveKubeconfigFiles } from '../../src/core/k8s/kubeconfig';
import { SandboxOperations } from '../../src/core/k8s/operations';
import { silentLogger } from '../../src/core/logging/logger';

export const RUN_DIR = process.env.AS_CLUSTER_RUN ?? '/dev/shm/agent-sandbox-vscode';

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
  const envFile = `${RUN_DIR}/env`;
  if (!existsSync(envFile)) throw new Error(`${envFile} is missing after cluster:up`);
  const env: Record<string, string> = {};
  for (const line of readFileSync(envFile, 'utf8').split('\n')) {
    const m = line.match(/^(?:export\s+)?([A-Z0-9_]+)=(.*)$/);
    if (m) env[m[1]] = m[2].replace(/^["']|["']$/g, '');
  }
  cached = { kubeconfig: env.KUBECONFIG, env, demoNamespace: env.DEMO_NAMESPACE ?? 'agent-sandbox-demo' };
  return cached;
}

/** A client for one context of the local cluster's kubeconfig, as the extension builds it. */
export function clientFor(context = 'agent-sandbox-local'): KubeClient {
  const { kubeconfig } = ensureCluster();
  const loaded = loadKubeconfig(resolveKubeconfigFiles(kubeconfig));
  return new KubeClient(configForContext(loaded.config, context), context, silentLogger);
}

export async function opsFor(context = 'agent-sandbox-local'): Promise<{ client: KubeClient; ops: SandboxOperations; api: Awaited<ReturnType<typeof discover>> }> {
  const client = clientFor(context);
  const api = await discover(client);
  return { client, ops: new SandboxOperations(client, api, silentLogger), api };
}

/** kubectl against the local cluster, for setting up and checking from outside the extension. */
export function kubectl(args: string[], input?: string): string {
  const { kubeconfig, env } = ensureCluster();
  const bin = env.KUBECTL ?? 'kubectl';
  return execFileSync(bin, args, { env: { ...process.env, KUBECONFIG: kubeconfig }, input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
}

export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.floor(Math.random() * 1e4)}`;
}
