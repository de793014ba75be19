// bench:files — sandbox file operations side by side with kubectl on the same pod of the local
// cluster: read and write of a 10 MB file (vs `kubectl cp`), and a listing of 5,000 entries (vs
// `kubectl exec … ls -la`). Runs in a plain pod (GNU userland) and in a gVisor pod from the warm
// pool, where GNU ls is broken, so kubectl's listing there is `busybox ls -la`. Prints medians and
// the ratio to kubectl (below 1.00 = faster than kubectl).
import { execFile, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { execCollect } from '../../src/core/exec/execSession';
import { defaultContainer, PodLocator } from '../../src/core/files/locator';
import { SandboxFileSystem } from '../../src/core/files/sandboxFs';
import { FileTarget, joinPath } from '../../src/core/files/uri';
import type { KubeClient } from '../../src/core/k8s/client';
import { apiVersionString } from '../../src/core/k8s/resources';
import type { KubeObject } from '../../src/core/model/objects';
import { podName } from '../../src/core/model/sandbox';
import { ensureCluster, kubectl, opsFor, uniqueName } from '../integration/cluster';
import { plainSandboxManifest } from '../support/sandboxes';

const RUNS = Number(process.env['BENCH_RUNS'] ?? 5);
const SIZE = 10 * 1024 * 1024;
const ENTRIES = 5000;
const CONTEXT = 'agent-sandbox-local';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

function kubectlTimed(args: string[]): Promise<number> {
  const { kubeconfig, env } = ensureCluster();
  const t0 = performance.now();
  return new Promise((resolve, reject) =>
    execFile(env['KUBECTL'] ?? 'kubectl', args, { env: { ...process.env, KUBECONFIG: kubeconfig }, maxBuffer: 64 << 20 }, (err, _out, stderr) =>
      err ? reject(new Error(`kubectl ${args.join(' ')}: ${stderr || err.message}`)) : resolve(performance.now() - t0),
    ),
  );
}

/**
 * `kubectl cp local pod:path`, timed until every byte has landed in the pod. KWOK's exec server
 * never ends a process's stdin, so the `tar -x` kubectl starts in the pod (and kubectl itself) never
 * return there; a real kubelet ends it right after the data. The pod's files live on this host
 * (KWOK runs pods as local processes), so the landing is watched directly, then kubectl is stopped.
 */
function kubectlCpIn(args: string[], landedFile: string, size: number): Promise<number> {
  const { kubeconfig, env } = ensureCluster();
  const t0 = performance.now();
  const child = spawn(env['KUBECTL'] ?? 'kubectl', args, { env: { ...process.env, KUBECONFIG: kubeconfig }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    let exited = false;
    child.on('exit', (code) => {
      exited = true;
      if (code !== 0 && code !== null) reject(new Error(`kubectl ${args.join(' ')}: ${stderr}`));
    });
    const poll = setInterval(() => {
      if (performance.now() - t0 > 300_000) {
        clearInterval(poll);
        child.kill();
        reject(new Error(`kubectl ${args.join(' ')}: ${landedFile} did not reach ${size} bytes in 300 s`));
        return;
      }
      let landed = false;
      try {
        landed = statSync(landedFile).size === size;
      } catch {
        // not created yet
      }
      if (!landed) return;
      clearInterval(poll);
      const ms = performance.now() - t0;
      if (!exited) child.kill();
      resolve(ms);
    }, 2);
  });
}

/** Stops the `tar -x` processes kubectl cp left waiting on stdin in the pod (matched by our directory). */
async function stopStuckTars(client: KubeClient, namespace: string, pod: string, container: string, dir: string): Promise<void> {
  await execCollect(client, {
    namespace,
    pod,
    container,
    command: [
      'sh',
      '-c',
      'for p in /proc/[0-9]*; do case "$(tr "\\0" " " < "$p/cmdline" 2>/dev/null)" in "tar -xmf - -C $1"*) kill "${p#/proc/}" ;; esac; done',
      'sh',
      dir,
    ],
    timeoutMs: 60_000,
  });
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

async function main(): Promise<void> {
  const { demoNamespace: NS } = ensureCluster();
  const { client, ops, api } = await opsFor(CONTEXT);
  const claim = uniqueName('bench-files');
  const plain = uniqueName('bench-plain');
  const local = mkdtempSync(join(tmpdir(), 'bench-files-'));
  try {
    await ops.createClaim(NS, claim, await ops.get('SandboxWarmPool', NS, 'python-pool'));
    kubectl(['apply', '-f', '-'], {
      input: JSON.stringify(plainSandboxManifest(plain, NS, apiVersionString(api, 'Sandbox'))),
    });
    const pods: [string, KubeObject][] = [
      ['plain pod', await ops.waitReady(NS, plain, { timeoutMs: 180_000 })],
      ['gVisor pod', await ops.waitClaimReady(NS, claim, { timeoutMs: 180_000 })],
    ];
    const fs = new SandboxFileSystem(
      new PodLocator({
        client: async () => client,
        sandbox: (t) => ops.find('Sandbox', t.namespace, t.sandbox),
      }),
    );
    const rows: { pod: string; row: string; ours: number; theirs: number; how: string }[] = [];
    for (const [label, sb] of pods) {
      const pod = podName(sb) as string;
      const container = defaultContainer(sb) as string;
      const t: FileTarget = { context: CONTEXT, namespace: NS, sandbox: sb.metadata.name, container };
      const base = joinPath(await fs.workingDirectory(t), 'bench');
      await fs.mkdir(t, base, { parents: true });
      const gvisor = label.startsWith('gVisor');
      const made = await execCollect(client, {
        namespace: NS,
        pod,
        container,
        command: ['sh', '-c', 'mkdir -p "$1" && cd "$1" && i=0; while [ $i -lt 5000 ]; do : > "entry-$i"; i=$((i+1)); done', 'sh', joinPath(base, 'many')],
        timeoutMs: 300_000,
      });
      if (made.result.kind !== 'exited' || made.result.code !== 0) throw new Error(`could not create ${ENTRIES} entries: ${made.stderr.toString()}`);
      const data = randomBytes(SIZE);
      const localFile = join(local, 'data.bin');
      writeFileSync(localFile, data);
      const remote = joinPath(base, 'data.bin');
      const kcRemote = `${NS}/${pod}:${remote}`;
      const lsCmd = gvisor ? ['busybox', 'ls', '-la'] : ['ls', '-la'];

      // Warm both sides once (TLS session, the locator's answer, kubectl's discovery cache).
      await fs.write(t, remote, data, { create: true, overwrite: true });
      await kubectlCpIn(['cp', '-c', container, localFile, `${kcRemote}.kubectl`], `${remote}.kubectl`, SIZE);
      await stopStuckTars(client, NS, pod, container, base);

      const write = { ours: [] as number[], theirs: [] as number[] };
      const read = { ours: [] as number[], theirs: [] as number[] };
      const list = { ours: [] as number[], theirs: [] as number[] };
      for (let i = 0; i < RUNS; i++) {
        write.ours.push(await timed(() => fs.write(t, remote, data, { create: true, overwrite: true })));
        await fs.delete(t, `${remote}.kubectl`, { recursive: false });
        write.theirs.push(await kubectlCpIn(['cp', '-c', container, localFile, `${kcRemote}.kubectl`], `${remote}.kubectl`, SIZE));
        await stopStuckTars(client, NS, pod, container, base);
        let got: Uint8Array = new Uint8Array();
        read.ours.push(await timed(async () => (got = await fs.read(t, remote, { maxBytes: 50 << 20 }))));
        if (sha(got) !== sha(data)) throw new Error('read back different bytes');
        const out = join(local, `out-${i}.bin`);
        read.theirs.push(await kubectlTimed(['cp', '-c', container, kcRemote, out]));
        if (sha(readFileSync(out)) !== sha(data)) throw new Error('kubectl cp read back different bytes');
        let n = 0;
        list.ours.push(await timed(async () => (n = (await fs.list(t, joinPath(base, 'many'))).length)));
        if (n !== ENTRIES) throw new Error(`listed ${n} entries`);
        list.theirs.push(await kubectlTimed(['exec', '-n', NS, pod, '-c', container, '--', ...lsCmd, joinPath(base, 'many')]));
      }
      if (sha(await fs.read(t, `${remote}.kubectl`)) !== sha(data)) throw new Error('kubectl cp wrote different bytes');
      rows.push({ pod: label, row: 'write 10 MB', ours: median(write.ours), theirs: median(write.theirs), how: 'kubectl cp local pod:path (until landed)' });
      rows.push({ pod: label, row: 'read 10 MB', ours: median(read.ours), theirs: median(read.theirs), how: 'kubectl cp pod:path local' });
      rows.push({
        pod: label,
        row: `list ${ENTRIES} entries`,
        ours: median(list.ours),
        theirs: median(list.theirs),
        how: `kubectl exec -- ${lsCmd.join(' ')}`,
      });
      await fs.delete(t, base, { recursive: true });
    }
    const pad = (s: string, n: number) => s.padEnd(n);
    console.log(`\nbench:files — median of ${RUNS} runs each, same pod for both columns\n`);
    console.log(`${pad('pod', 11)} ${pad('operation', 18)} ${pad('extension', 10)} ${pad('kubectl', 10)} ${pad('ratio', 6)}  kubectl command`);
    for (const r of rows) {
      const ratio = r.ours / r.theirs;
      console.log(
        `${pad(r.pod, 11)} ${pad(r.row, 18)} ${pad(`${r.ours.toFixed(0)} ms`, 10)} ${pad(`${r.theirs.toFixed(0)} ms`, 10)} ${pad(ratio.toFixed(2), 6)}  ${r.how}${ratio > 1 ? '   <-- slower than kubectl' : ''}`,
      );
    }
    const slower = rows.filter((r) => r.ours > r.theirs);
    console.log(slower.length ? `\n${slower.length} row(s) slower than kubectl` : '\nno row slower than kubectl');
    process.exitCode = slower.length ? 1 : 0;
  } finally {
    await Promise.all([ops.delete('SandboxClaim', NS, claim).catch(() => undefined), ops.delete('Sandbox', NS, plain).catch(() => undefined)]);
    rmSync(local, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
