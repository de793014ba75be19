// bench:client — list latency of the REST client against the local cluster's API server (TLS):
// one kept-alive agent per client (today) vs a new agent, hence a new TCP + TLS handshake, per
// request (the client before issue 15), vs `kubectl get`. Prints medians and ratios.
import { execFile } from 'node:child_process';
import * as https from 'node:https';
import { performance } from 'node:perf_hooks';
import { KubeClient } from '../../src/core/k8s/client';
import { configForContext, loadKubeconfig, resolveKubeconfigFiles } from '../../src/core/k8s/kubeconfig';
import { silentLogger } from '../../src/core/logging/logger';
import { ensureCluster } from '../integration/cluster';

const RUNS = Number(process.env['BENCH_RUNS'] ?? 60);
const CONTEXT = 'agent-sandbox-local';
const PATH = '/api/v1/namespaces/default/pods?limit=500';
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** The old behaviour: client-node's applyToHTTPSOptions builds a fresh agent for every request. */
class AgentPerRequestClient extends KubeClient {
  override async connectionOptions(): Promise<https.RequestOptions> {
    const opts = await super.connectionOptions();
    const fresh: https.AgentOptions = {};
    for (const f of ['ca', 'cert', 'key', 'rejectUnauthorized', 'servername'] as const)
      if (opts[f] !== undefined) (fresh as Record<string, unknown>)[f] = opts[f];
    return { ...opts, agent: new https.Agent(fresh) };
  }
}

async function time(runs: number, fn: () => Promise<unknown>): Promise<number> {
  await fn(); // warm-up (first connection, exec plugin, JIT)
  const xs: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    xs.push(performance.now() - t);
  }
  return median(xs);
}

async function main(): Promise<void> {
  const { kubeconfig, env } = ensureCluster();
  const config = configForContext(loadKubeconfig(resolveKubeconfigFiles(kubeconfig)).config, CONTEXT);
  const kept = new KubeClient(config, CONTEXT, silentLogger);
  const fresh = new AgentPerRequestClient(config, CONTEXT, silentLogger);
  const kubectlBin = env['KUBECTL'] ?? 'kubectl';
  const keptMs = await time(RUNS, () => kept.get(PATH));
  const freshMs = await time(RUNS, () => fresh.get(PATH));
  const kubectlMs = await time(
    Math.max(5, Math.round(RUNS / 6)),
    () =>
      new Promise((resolve, reject) =>
        execFile(kubectlBin, ['--context', CONTEXT, 'get', '--raw', PATH], { env: { ...process.env, KUBECONFIG: kubeconfig } }, (err, out) =>
          // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- execFile's error is an Error at run time; its ExecFileException type is not one
          err ? reject(err) : resolve(out),
        ),
      ),
  );
  const row = (name: string, ms: number) =>
    console.log(`${name.padEnd(44)} ${ms.toFixed(2).padStart(8)} ms   ×${(ms / kubectlMs).toFixed(3)} kubectl   ×${(ms / keptMs).toFixed(2)} kept-alive`);
  console.log(`list ${PATH}, median of ${RUNS} (kubectl: ${Math.max(5, Math.round(RUNS / 6))})`);
  row('KubeClient, one kept-alive agent (now)', keptMs);
  row('KubeClient, new agent per request (before)', freshMs);
  row('kubectl get --raw', kubectlMs);
}

void main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
