// bench:preview — one web app in a gVisor sandbox of the local cluster (bound to its pod IP),
// reached three ways in the same run: through the Go sandbox router's path-routing URL, through
// the extension's exec relay (one exec session per TCP connection), and through `kubectl
// port-forward`. 100 small GETs (a new connection each, as a page's first load) and a 10 MB
// download per path; prints medians and the ratios. Goal: router ≤ 0.5× the relay per request.
import { spawn } from 'node:child_process';
import * as http from 'node:http';
import { performance } from 'node:perf_hooks';
import { silentLogger } from '../../src/core/logging/logger';
import { podName } from '../../src/core/model/sandbox';
import { ExecForward, probeRelay } from '../../src/core/portforward/execForward';
import { routerPreviewUrl } from '../../src/core/preview/router';
import { ensureCluster, opsFor, uniqueName } from '../integration/cluster';
import { startApp } from '../integration/previewServer';

const GETS = Number(process.env['BENCH_GETS'] ?? 100);
const RUNS = Number(process.env['BENCH_RUNS'] ?? 3);
const SIZE = 10 * 1024 * 1024;
const PORT = 8000;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function fetchOnce(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent: false }, (res) => {
        let n = 0;
        res.on('data', (c: Buffer) => (n += c.length));
        res.on('end', () => (res.statusCode === 200 ? resolve(n) : reject(new Error(`${url}: HTTP ${res.statusCode}`))));
      })
      .on('error', reject);
  });
}

async function timeGets(base: string): Promise<number> {
  const t0 = performance.now();
  for (let i = 0; i < GETS; i++) await fetchOnce(`${base}/`);
  return performance.now() - t0;
}

async function timeDownload(base: string): Promise<number> {
  const t0 = performance.now();
  const n = await fetchOnce(`${base}/bytes/${SIZE}`);
  if (n !== SIZE) throw new Error(`got ${n} of ${SIZE} bytes from ${base}`);
  return performance.now() - t0;
}

/** `kubectl port-forward` on a free local port; resolves with its URL once it says "Forwarding". */
function kubectlForward(ns: string, pod: string): Promise<{ url: string; stop: () => void }> {
  const { kubeconfig, env } = ensureCluster();
  const child = spawn(env['KUBECTL'] ?? 'kubectl', ['-n', ns, 'port-forward', `pod/${pod}`, `:${PORT}`], {
    env: { ...process.env, KUBECONFIG: kubeconfig },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = out.match(/Forwarding from 127\.0\.0\.1:(\d+)/);
      if (m) resolve({ url: `http://127.0.0.1:${m[1]}`, stop: () => child.kill() });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => reject(new Error(`kubectl port-forward exited (${code}): ${out}`)));
  });
}

async function main(): Promise<void> {
  const { env, demoNamespace: NS } = ensureCluster();
  const { client, ops } = await opsFor();
  const claim = uniqueName('bench-preview');
  const pool = await ops.get('SandboxWarmPool', NS, 'python-pool');
  await ops.createClaim(NS, claim, pool);
  let stopAll: (() => Promise<void>) | undefined;
  try {
    const sb = await ops.waitClaimReady(NS, claim, { timeoutMs: 180_000 });
    const pod = podName(sb) as string;
    const app = await startApp(client, NS, pod, PORT, 'hello');
    const relay = await probeRelay(client, { namespace: NS, pod });
    const fwd = await ExecForward.start(client, { namespace: NS, pod: () => pod, remotePort: PORT }, relay, { localPort: 0 }, silentLogger);
    const kfwd = await kubectlForward(NS, pod);
    stopAll = async () => {
      kfwd.stop();
      await fwd.stop();
      app.session.close();
    };
    const paths = {
      router: routerPreviewUrl(env['ROUTER_URL'], NS, pod, PORT, '').replace(/\/$/, ''),
      relay: `http://127.0.0.1:${fwd.localPort}`,
      kubectl: kfwd.url,
    };
    const gets: Record<string, number[]> = { router: [], relay: [], kubectl: [] };
    const dl: Record<string, number[]> = { router: [], relay: [], kubectl: [] };
    for (const base of Object.values(paths)) await fetchOnce(`${base}/`); // warm-up
    for (let r = 0; r < RUNS; r++) {
      for (const [name, base] of Object.entries(paths)) {
        gets[name].push(await timeGets(base));
        dl[name].push(await timeDownload(base));
      }
    }
    const per = (name: string) => median(gets[name]) / GETS;
    const row = (name: string) =>
      `${name.padEnd(8)} ${per(name).toFixed(1).padStart(8)} ms ${(per(name) / per('relay')).toFixed(2).padStart(9)} ${(per(name) / per('kubectl')).toFixed(2).padStart(10)} ${median(dl[name]).toFixed(0).padStart(9)} ms ${(median(dl[name]) / median(dl['relay'])).toFixed(2).padStart(9)} ${(median(dl[name]) / median(dl['kubectl'])).toFixed(2).padStart(10)}`;
    console.log(`bench:preview — gVisor sandbox ${pod} (${relay} relay), ${GETS} GETs (new connection each) and ${SIZE >> 20} MB, median of ${RUNS} runs`);
    console.log(`path     per GET     ×relay   ×kubectl   10 MB       ×relay   ×kubectl`);
    for (const name of Object.keys(paths)) console.log(row(name));
    const goal = per('router') / per('relay');
    console.log(
      `router per request = ${goal.toFixed(2)}× the relay (goal ≤ 0.50: ${goal <= 0.5 ? 'met' : 'NOT met'}); relay = ${(per('relay') / per('kubectl')).toFixed(2)}× kubectl port-forward`,
    );
  } finally {
    await stopAll?.();
    await ops.delete('SandboxClaim', NS, claim).catch(() => undefined);
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
