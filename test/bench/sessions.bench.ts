// bench:sessions — on a claim from the gVisor warm pool of the local cluster:
//   reattach:  connection back → first byte of scrollback, when a session with output exists
//   open:      a new plain shell (ShellSession, today's terminal) → first byte, for comparison
//   kubectl:   `kubectl exec … -- true` round trip, the floor any exec pays
//   watch:     a file changed by `kubectl exec` → the poller's change event (interval 1 s)
// Prints medians and ratios to kubectl. BENCH_RUNS (default 7).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { ensureHelper } from '../../src/core/exec/session/helperInstall';
import { PersistentShell } from '../../src/core/exec/session/persistentShell';
import { killSession } from '../../src/core/exec/session/sessionOps';
import { ShellSession } from '../../src/core/exec/shellSession';
import { PodLocator } from '../../src/core/files/locator';
import { WatchPoller } from '../../src/core/files/watchPoll';
import { podName } from '../../src/core/model/sandbox';
import { ensureCluster, opsFor, uniqueName } from '../integration/cluster';

const RUNS = Number(process.env['BENCH_RUNS'] ?? 7);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  const env = ensureCluster();
  execFileSync(process.execPath, ['scripts/build-helper.mjs'], { stdio: 'inherit' });
  const manifest = JSON.parse(readFileSync('dist/helper/checksums.json', 'utf8'));
  const bundle = { sha256: manifest.binaries, bytes: async (a: 'amd64' | 'arm64') => readFileSync(`dist/helper/as-session-linux-${a}`) };
  const { client, ops } = await opsFor();
  const ns = env.demoNamespace;
  const claim = uniqueName('bench-sess');
  await ops.createClaim(ns, claim, await ops.get('SandboxWarmPool', ns, 'python-pool'));
  try {
    const sb = await ops.waitClaimReady(ns, claim, { timeoutMs: 180_000 });
    const pod = podName(sb)!;
    const ref = { client, namespace: ns, pod, container: 'agent', label: claim };
    const t0 = performance.now();
    const place = await ensureHelper(ref, bundle, true);
    console.log(`[bench:sessions] helper upload + verify: ${Math.round(performance.now() - t0)} ms (once per pod)`);
    const kubectl = (args: string[]) => execFileSync(env.env['KUBECTL'] ?? 'kubectl', args, { env: { ...process.env, KUBECONFIG: env.kubeconfig } });
    const first = (open: (onByte: () => void) => Promise<{ close(): void }>) =>
      new Promise<number>((resolve, reject) => {
        const start = performance.now();
        let s: { close(): void } | undefined;
        let done = false;
        open(() => {
          if (done) return;
          done = true;
          resolve(performance.now() - start);
          setImmediate(() => s?.close());
        }).then((x) => ((s = x), done && x.close()), reject);
      });
    // A session with output in its scrollback.
    const seed = await PersistentShell.open(
      client,
      { namespace: ns, pod, container: 'agent', size: { cols: 80, rows: 24 }, place, id: 'bench', since: 0 },
      { output: () => undefined, end: () => undefined, event: () => undefined },
    );
    seed.write('seq 1 200\r');
    await new Promise((r) => setTimeout(r, 1500));
    seed.close();
    const reattach: number[] = [];
    const open: number[] = [];
    const kube: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      reattach.push(
        await first((b) =>
          PersistentShell.open(
            client,
            { namespace: ns, pod, container: 'agent', size: { cols: 80, rows: 24 }, place, id: 'bench', since: 0 },
            { output: b, end: () => undefined, event: () => undefined },
          ),
        ),
      );
      open.push(
        await first((b) =>
          ShellSession.open(client, { namespace: ns, pod, container: 'agent', size: { cols: 80, rows: 24 } }, { output: b, end: () => undefined }),
        ),
      );
      const k = performance.now();
      kubectl(['exec', '-n', ns, pod, '-c', 'agent', '--', 'true']);
      kube.push(performance.now() - k);
    }
    await killSession(ref, place, 'bench');
    const wd = execFileSync(env.env['KUBECTL'] ?? 'kubectl', ['exec', '-n', ns, pod, '-c', 'agent', '--', 'pwd'], {
      env: { ...process.env, KUBECONFIG: env.kubeconfig },
      encoding: 'utf8',
    }).trim();
    const file = `${wd}/bench-watch.txt`;
    kubectl(['exec', '-n', ns, pod, '-c', 'agent', '--', 'sh', '-c', 'echo 0 > "$1"', 'sh', file]);
    const target = { context: 'agent-sandbox-local', namespace: ns, sandbox: claim, container: 'agent' };
    const locator = new PodLocator({ client: async () => client, sandbox: async () => ops.get('Sandbox', ns, sb.metadata.name) });
    let onChange: (() => void) | undefined;
    const poller = new WatchPoller(
      locator,
      () => onChange?.(),
      () => 1000,
    );
    const w = poller.watch({ ...target, sandbox: sb.metadata.name }, file, false);
    await new Promise((r) => setTimeout(r, 2500)); // stamps laid
    const watch: number[] = [];
    for (let i = 0; i < Math.min(RUNS, 5); i++) {
      const got = new Promise<void>((r) => (onChange = r));
      const start = performance.now();
      kubectl(['exec', '-n', ns, pod, '-c', 'agent', '--', 'sh', '-c', 'echo "$2" > "$1"', 'sh', file, String(i)]);
      await got;
      watch.push(performance.now() - start);
      await new Promise((r) => setTimeout(r, 2200)); // let the change age out of the overlap window
    }
    w.dispose();
    const k = median(kube);
    const row = (name: string, xs: number[]) =>
      console.log(`[bench:sessions] ${name.padEnd(34)} median ${Math.round(median(xs))} ms  (${(median(xs) / k).toFixed(2)}× kubectl exec true)`);
    row('reattach → first scrollback byte', reattach);
    row('new plain shell → first byte', open);
    row('kubectl exec -- true', kube);
    row('watch: change → event (1 s poll)', watch);
  } finally {
    await ops.delete('SandboxClaim', ns, claim).catch(() => undefined);
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
