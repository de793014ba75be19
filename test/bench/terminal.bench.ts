// bench:terminal — our exec websocket against `kubectl exec`, side by side on the same pod of the
// local cluster (a claim from the gVisor warm pool):
//   open:       from "open" to the first byte of the shell's prompt (TTY, same shell probe)
//   throughput: `cat` of a 50 MB text file (non-TTY), first byte → last byte, bytes counted
// Prints medians of several iterations and each as a ratio to kubectl.
// Goals: open ≤ 0.5× kubectl's time; throughput ≥ 1× kubectl's.
//   BENCH_OPEN_RUNS (default 9), BENCH_CAT_RUNS (default 7), BENCH_CAT_MB (default 50)
import { spawn } from 'node:child_process';
import * as os from 'node:os';
import { performance } from 'node:perf_hooks';
import { ExecSession } from '../../src/core/exec/execSession';
import { shellPlan } from '../../src/core/exec/shell';
import { ShellSession } from '../../src/core/exec/shellSession';
import { Utf8Stream } from '../../src/core/exec/utf8';
import type { KubeClient } from '../../src/core/k8s/client';
import { podName } from '../../src/core/model/sandbox';
import { ensureCluster, opsFor, uniqueName } from '../integration/cluster';

const OPEN_RUNS = Number(process.env['BENCH_OPEN_RUNS'] ?? 9);
const CAT_RUNS = Number(process.env['BENCH_CAT_RUNS'] ?? 7);
const CAT_MB = Number(process.env['BENCH_CAT_MB'] ?? 50);
const FILE = 'bench-cat.txt';

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

interface Env {
  client: KubeClient;
  kubectl: string;
  kubeconfig: string;
  ns: string;
  pod: string;
}

/** Ours: what the terminal does on open — one websocket, the shell probe, wait for the first byte. */
async function oursOpen(e: Env): Promise<number> {
  const t0 = performance.now();
  let first = 0;
  let session: ShellSession | undefined;
  await new Promise<void>((resolve, reject) => {
    ShellSession.open(
      e.client,
      { namespace: e.ns, pod: e.pod, size: { cols: 120, rows: 40 } },
      {
        output: () => {
          if (!first) {
            first = performance.now();
            resolve();
          }
        },
        end: (x) => (first ? undefined : reject(new Error(`ended before a prompt: ${JSON.stringify(x)}`))),
      },
    ).then((s) => (session = s), reject);
  });
  session?.close();
  return first - t0;
}

/**
 * kubectl: `kubectl exec -it` needs a terminal on stdin, so it runs under script(1), as it would in
 * a terminal. script's own start-up is measured separately (`script -c true`) and subtracted.
 */
function kubectlOpen(e: Env, argv: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn('script', ['-qfec', argv.map(shq).join(' '), '/dev/null'], {
      env: { ...process.env, KUBECONFIG: e.kubeconfig },
      detached: true,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let done = false;
    child.stdout.once('data', () => {
      done = true;
      const t = performance.now() - t0;
      try {
        process.kill(-(child.pid as number), 'SIGKILL');
      } catch {
        // already gone
      }
      resolve(t);
    });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    child.on('exit', (code) => !done && reject(new Error(`kubectl exited ${code} before a prompt: ${err}`)));
  });
}

function scriptOverhead(): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn('script', ['-qfec', 'printf x', '/dev/null'], { stdio: ['pipe', 'pipe', 'ignore'] });
    child.stdout.once('data', () => resolve(performance.now() - t0));
    child.on('error', reject);
  });
}

function shq(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

interface CatRun {
  bytes: number;
  /** first byte → end */
  ms: number;
  total: number;
}

async function oursCat(e: Env, decode: boolean): Promise<CatRun> {
  const t0 = performance.now();
  let first = 0;
  let bytes = 0;
  const decoder = new Utf8Stream();
  const result = await new Promise<unknown>((resolve, reject) => {
    ExecSession.open(
      e.client,
      { namespace: e.ns, pod: e.pod, command: ['cat', FILE], tty: false, stdin: false },
      {
        stdout: (d) => {
          if (!first) first = performance.now();
          bytes += d.length;
          if (decode) decoder.decode(d);
        },
        end: resolve,
      },
    ).catch(reject);
  });
  const end = performance.now();
  if ((result as { kind: string }).kind !== 'exited') throw new Error(`cat ended with ${JSON.stringify(result)}`);
  return { bytes, ms: end - first, total: end - t0 };
}

function kubectlCat(e: Env): Promise<CatRun> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    let first = 0;
    let bytes = 0;
    const child = spawn(e.kubectl, ['exec', '-n', e.ns, e.pod, '--', 'cat', FILE], {
      env: { ...process.env, KUBECONFIG: e.kubeconfig },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.on('data', (d: Buffer) => {
      if (!first) first = performance.now();
      bytes += d.length;
    });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code) => {
      const end = performance.now();
      if (code !== 0) reject(new Error(`kubectl cat exited ${code}: ${err}`));
      else resolve({ bytes, ms: end - first, total: end - t0 });
    });
  });
}

async function execOk(e: Env, command: string[]): Promise<void> {
  const r = await new Promise<unknown>((resolve, reject) => {
    ExecSession.open(e.client, { namespace: e.ns, pod: e.pod, command, tty: false, stdin: false }, { end: resolve }).catch(reject);
  });
  if ((r as { kind: string }).kind !== 'exited' || (r as { code: number }).code !== 0) throw new Error(`${command.join(' ')}: ${JSON.stringify(r)}`);
}

const fmt = (n: number, d = 1) => n.toFixed(d);

async function main(): Promise<void> {
  const cluster = ensureCluster();
  const kubectl = cluster.env['KUBECTL'] ?? 'kubectl';
  const ns = cluster.demoNamespace;
  const { client, ops } = await opsFor('agent-sandbox-local');
  const pool = await ops.get('SandboxWarmPool', ns, 'python-pool');
  const claim = uniqueName('bench-term');
  await ops.createClaim(ns, claim, pool);
  try {
    const sb = await ops.waitClaimReady(ns, claim, { timeoutMs: 180_000 });
    const pod = podName(sb) as string;
    const e: Env = { client, kubectl, kubeconfig: cluster.kubeconfig, ns, pod };
    process.stdout.write(`bench:terminal on pod ${ns}/${pod} (gVisor), kubectl ${kubectl}\n`);

    // ---- open → first prompt byte ----
    const probe = shellPlan(undefined).attempts[0];
    const kubectlArgv = [kubectl, 'exec', '-i', '-t', '-n', ns, pod, '--', ...probe];
    await oursOpen(e); // warm both paths once (TLS session caches, page cache for binaries)
    await kubectlOpen(e, kubectlArgv);
    const ours: number[] = [];
    const theirs: number[] = [];
    const overhead: number[] = [];
    for (let i = 0; i < OPEN_RUNS; i++) {
      // Alternate so drift in cluster load hits both sides alike.
      ours.push(await oursOpen(e));
      theirs.push(await kubectlOpen(e, kubectlArgv));
      overhead.push(await scriptOverhead());
    }
    const oursOpenMs = median(ours);
    const kubectlOpenMs = median(theirs) - median(overhead);
    // Runs are interleaved in pairs, so a pair sees the same load on this shared machine; the
    // median of per-pair ratios is the headline (medians of each side are shown too).
    const openRatio = median(ours.map((x, i) => x / (theirs[i] - overhead[i])));

    // ---- cat of a big file ----
    // Text (base64 of random bytes), as a terminal shows: binary would only measure how fast
    // a decoder can emit U+FFFD. Exactly CAT_MB MiB; size checked on every run below.
    const bytes = CAT_MB * 1024 * 1024;
    await execOk(e, ['sh', '-c', 'head -c "$1" /dev/urandom | base64 -w 76 | head -c "$2" > "$3"', 'sh', String(bytes), String(bytes), FILE]);
    const expected = CAT_MB * 1024 * 1024;
    await oursCat(e, true);
    await kubectlCat(e);
    const oursRuns: CatRun[] = [];
    const rawRuns: CatRun[] = [];
    const kubectlRuns: CatRun[] = [];
    for (let i = 0; i < CAT_RUNS; i++) {
      oursRuns.push(await oursCat(e, true));
      rawRuns.push(await oursCat(e, false));
      kubectlRuns.push(await kubectlCat(e));
    }
    for (const r of [...oursRuns, ...rawRuns, ...kubectlRuns])
      if (r.bytes !== expected) throw new Error(`cat delivered ${r.bytes} bytes, expected ${expected}`);
    const rate = (r: CatRun) => expected / 1024 / 1024 / (r.ms / 1000);
    const mbps = (runs: CatRun[]) => median(runs.map(rate));
    const oursMbps = mbps(oursRuns);
    const rawMbps = mbps(rawRuns);
    const kubectlMbps = mbps(kubectlRuns);
    const catRatio = median(oursRuns.map((r, i) => rate(r) / rate(kubectlRuns[i])));
    const rawRatio = median(rawRuns.map((r, i) => rate(r) / rate(kubectlRuns[i])));
    await execOk(e, ['rm', '-f', FILE]);

    const lines = [
      '',
      `open → first prompt byte (median of ${OPEN_RUNS})`,
      `  ours             ${fmt(oursOpenMs)} ms   [${ours.map((x) => fmt(x, 0)).join(' ')}]`,
      `  kubectl exec -it ${fmt(kubectlOpenMs)} ms   [${theirs.map((x) => fmt(x, 0)).join(' ')}] minus script(1) start-up ${fmt(median(overhead))} ms`,
      `  ratio ours/kubectl ${fmt(openRatio, 2)} (median of pairs; of medians ${fmt(oursOpenMs / kubectlOpenMs, 2)})  goal ≤ 0.50: ${openRatio <= 0.5 ? 'MET' : 'NOT MET'}`,
      '',
      `cat ${CAT_MB} MB, first byte → last (median of ${CAT_RUNS})`,
      `  ours (decoded as the terminal does) ${fmt(oursMbps)} MB/s   open→end ${fmt(median(oursRuns.map((r) => r.total)), 0)} ms`,
      `  ours (raw bytes)                    ${fmt(rawMbps)} MB/s   open→end ${fmt(median(rawRuns.map((r) => r.total)), 0)} ms`,
      `  kubectl exec                        ${fmt(kubectlMbps)} MB/s   spawn→end ${fmt(median(kubectlRuns.map((r) => r.total)), 0)} ms`,
      `  ratio ours/kubectl ${fmt(catRatio, 2)} decoded, ${fmt(rawRatio, 2)} raw (median of pairs; of medians ${fmt(oursMbps / kubectlMbps, 2)})  goal ≥ 1.00: ${catRatio >= 1 ? 'MET' : 'NOT MET'}`,
      `  (load average during the run: ${os
        .loadavg()
        .map((x) => fmt(x, 1))
        .join(' ')} on ${os.cpus().length} cores)`,
      '',
    ];
    process.stdout.write(lines.join('\n'));
  } finally {
    await ops.delete('SandboxClaim', ns, claim).catch(() => undefined);
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    process.stderr.write(`bench:terminal failed: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
