// Insight and reach against the real local cluster: a port forward into a gVisor sandbox over the
// exec tunnel, editable YAML with a stale resourceVersion, and a log that is followed across a
// hibernate and resume. One claim (a gVisor sandbox from python-pool) serves all three.
import assert from 'node:assert/strict';
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import { after, before, describe, it } from 'node:test';
import * as yaml from 'js-yaml';
import { execCollect, ExecSession } from '../../src/core/exec/execSession';
import type { KubeClient } from '../../src/core/k8s/client';
import type { SandboxOperations } from '../../src/core/k8s/operations';
import { ApiModel, objectPath } from '../../src/core/k8s/resources';
import { silentLogger } from '../../src/core/logging/logger';
import { LogFollower, LogSink } from '../../src/core/logs/logFollower';
import type { KubeObject } from '../../src/core/model/objects';
import { podName } from '../../src/core/model/sandbox';
import { ExecForward, probeRelay } from '../../src/core/portforward/execForward';
import { applyEdit } from '../../src/core/yaml/applyEdit';
import { claimReady, ensureCluster, kubectl, opsFor, uniqueName } from './cluster';
import { until } from '../support/wait';

const POOL = 'python-pool';
let NS = 'agent-sandbox-demo';
let client: KubeClient;
let ops: SandboxOperations;
let api: ApiModel;
let claim = '';
let sandbox = '';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

function get(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent: false }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      })
      .on('error', reject);
  });
}

async function currentPod(): Promise<string> {
  const sb = await ops.get('Sandbox', NS, sandbox);
  const pod = podName(sb);
  assert.ok(pod, `sandbox ${sandbox} has a pod`);
  return pod;
}

describe('insight: port forward, editable YAML, live logs', { timeout: 15 * 60_000 }, () => {
  before(async () => {
    NS = ensureCluster().demoNamespace;
    ({ client, ops, api } = await opsFor());
    claim = uniqueName('insight');
    const sb = await claimReady(ops, NS, claim, { pool: POOL });
    sandbox = sb.metadata.name;
  });

  after(async () => {
    if (claim) await ops.delete('SandboxClaim', NS, claim).catch(() => undefined);
  });

  it('forwards a local port to a server inside a gVisor sandbox over the exec tunnel', async () => {
    const pod = await currentPod();
    const kernel = await execCollect(client, { namespace: NS, pod, command: ['uname', '-r'], timeoutMs: 30_000 });
    assert.equal(kernel.stdout.toString().trim(), '4.4.0', "the sandbox runs in gVisor (its kernel is gVisor's 4.4.0)");

    // Every fake pod shares the host's loopback here, so the server takes a port nobody uses.
    const port = await freePort();
    const token = `hello from ${sandbox} ${Date.now()}`;
    const setup = await execCollect(client, {
      namespace: NS,
      pod,
      command: ['sh', '-c', `mkdir -p www && printf %s "$1" > www/index.txt`, 'sh', token],
      timeoutMs: 30_000,
    });
    assert.deepEqual(setup.result, { kind: 'exited', code: 0 }, setup.stderr.toString());

    let serverOut = '';
    let wakeServer = () => undefined as void;
    const server = await ExecSession.open(
      client,
      {
        namespace: NS,
        pod,
        command: ['python3', '-u', '-m', 'http.server', String(port), '--bind', '127.0.0.1', '--directory', 'www'],
        tty: false,
        stdin: false,
      },
      { stdout: (d) => ((serverOut += d.toString()), wakeServer()), stderr: (d) => ((serverOut += d.toString()), wakeServer()) },
    );
    const problems: string[] = [];
    let fwd: ExecForward | undefined;
    try {
      await until(
        (w) => (wakeServer = w),
        'http.server to listen',
        () => /Serving HTTP/.test(serverOut),
        30_000,
      );
      const relay = await probeRelay(client, { namespace: NS, pod });
      assert.equal(relay, 'python3');
      fwd = await ExecForward.start(
        client,
        { namespace: NS, pod: () => pod, remotePort: port },
        relay,
        { localPort: 0, onProblem: (m) => problems.push(m) },
        silentLogger,
      );
      const first = await get(`http://127.0.0.1:${fwd.localPort}/index.txt`);
      assert.deepEqual(first, { status: 200, body: token });
      // Several connections at once, each its own exec session.
      const many = await Promise.all([1, 2, 3].map(() => get(`http://127.0.0.1:${fwd?.localPort}/index.txt`)));
      assert.deepEqual(
        many.map((r) => r.body),
        [token, token, token],
      );
      assert.ok(/GET \/index.txt/.test(serverOut), 'the request reached the server in the sandbox');
      assert.deepEqual(problems, []);
    } finally {
      await fwd?.stop();
      server.close();
    }
  });

  it('a forward to a port where nothing listens says so', async () => {
    const pod = await currentPod();
    const port = await freePort();
    const problems: string[] = [];
    let wake = () => undefined as void;
    const fwd = await ExecForward.start(
      client,
      { namespace: NS, pod: () => pod, remotePort: port },
      'python3',
      { localPort: 0, onProblem: (m) => (problems.push(m), wake()) },
      silentLogger,
    );
    try {
      await assert.rejects(get(`http://127.0.0.1:${fwd.localPort}/`), /socket hang up|ECONNRESET/);
      await until(
        (w) => (wake = w),
        'the relay to report the refused connection',
        () => problems.length > 0,
        30_000,
      );
      assert.equal(problems[0], `Nothing is listening on port ${port} inside the sandbox.`);
    } finally {
      await fwd.stop();
    }
  });

  it('applies edited YAML, refuses a stale resourceVersion as a conflict, and shows validation errors', async () => {
    const path = objectPath(api, 'SandboxClaim', NS, claim);
    const id = { kind: 'SandboxClaim', namespace: NS, name: claim };
    const read = async () => client.get<KubeObject>(path);
    const text = (o: KubeObject) => yaml.dump({ ...o, metadata: { ...o.metadata, managedFields: undefined } }, { noRefs: true, skipInvalid: true });

    const opened = await read();
    const withLabel = text({ ...opened, metadata: { ...opened.metadata, labels: { ...(opened.metadata.labels ?? {}), 'insight-edit': 'mine' } } });

    // Someone else changes the claim after it was opened.
    kubectl(['label', 'sandboxclaims.extensions.agents.x-k8s.io', claim, '-n', NS, 'insight-edit=theirs', '--overwrite']);
    const theirs = await read();
    assert.notEqual(theirs.metadata.resourceVersion, opened.metadata.resourceVersion);

    const stale = await applyEdit(client, path, id, withLabel);
    assert.ok(!stale.ok);
    assert.equal(stale.kind, 'conflict');
    assert.equal(stale.serverResourceVersion, theirs.metadata.resourceVersion);
    assert.match(stale.message, new RegExp(`your resourceVersion ${opened.metadata.resourceVersion}, the server's ${theirs.metadata.resourceVersion}`));
    assert.equal((await read()).metadata.labels?.['insight-edit'], 'theirs', 'the other change was not overwritten');

    // Edited from the current version, it applies.
    const fresh = text(await read()).replace('insight-edit: theirs', 'insight-edit: mine');
    const applied = await applyEdit(client, path, id, fresh);
    assert.ok(applied.ok, !applied.ok ? applied.message : '');
    assert.equal((await read()).metadata.labels?.['insight-edit'], 'mine');

    // The API server's own validation, placed on the offending line.
    const current = await read();
    const invalid = text({ ...current, spec: { ...current.spec, lifecycle: { shutdownPolicy: 'Sometimes' } } });
    const rejected = await applyEdit(client, path, id, invalid);
    assert.ok(!rejected.ok);
    assert.equal(rejected.kind, 'rejected', rejected.message);
    assert.match(rejected.message, /shutdownPolicy/);
    const problem = rejected.problems.find((p) => /spec\.lifecycle\.shutdownPolicy/.test(p.message));
    assert.ok(problem, JSON.stringify(rejected.problems));
    assert.equal(invalid.split('\n')[problem.line ?? -1]?.trim(), 'shutdownPolicy: Sometimes');
  });

  it('follows the log across a hibernate and a resume, with visible markers', async () => {
    const podlogs = ensureCluster().env['PODLOGS_DIR'];
    assert.ok(podlogs, 'the cluster env names its pod log directory');
    const logFile = (pod: string) => `${podlogs}/${NS}/${pod}.log`;
    const cri = (text: string) => `${new Date().toISOString()} stdout F ${text}\n`;
    // KWOK serves pods/log from these files through the kubelet's CRI log reader: make the
    // container's own lines CRI-formatted (a header line in another format would stop the reader).
    const criOnly = (file: string) => {
      const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
      if (lines.every((l) => /^\S+Z (stdout|stderr) [FP] /.test(l))) return;
      writeFileSync(file, lines.map((l) => cri(`[header] ${l}`)).join(''));
    };

    let output = '';
    const markers: string[] = [];
    const statuses: string[] = [];
    let wake = () => undefined as void;
    const sink: LogSink = {
      data: (t) => ((output += t), wake()),
      marker: (t) => (markers.push(t), wake()),
      status: (s) => (statuses.push(`${s.state}: ${s.text}`), wake()),
      clear: () => (output = ''),
    };
    const subscribe = (w: () => void) => (wake = w);

    const pod1 = await currentPod();
    assert.ok(existsSync(logFile(pod1)), `KWOK log file ${logFile(pod1)}`);
    criOnly(logFile(pod1));
    appendFileSync(logFile(pod1), cri('\x1b[32mbefore hibernate\x1b[0m'));
    const follower = new LogFollower(client, api, NS, sandbox, { follow: true, timestamps: false, tailLines: 100 }, sink, silentLogger);
    follower.start();
    try {
      await until(subscribe, 'the first line', () => output.includes('before hibernate'));
      assert.ok(output.includes('\x1b[32mbefore hibernate\x1b[0m'), 'ANSI colours pass through');
      appendFileSync(logFile(pod1), cri('still running'));
      await until(subscribe, 'a line appended while following', () => output.includes('still running'));

      await ops.setSuspended(NS, sandbox, true);
      await ops.waitHibernated(NS, sandbox, { timeoutMs: 120_000 });
      await until(subscribe, 'the hibernate marker', () => markers.some((m) => /Sandbox hibernated/.test(m)));
      await until(subscribe, 'the waiting status', () => statuses.some((s) => /^waiting: .*hibernated/.test(s)));

      await ops.setSuspended(NS, sandbox, false);
      await ops.waitReady(NS, sandbox, { timeoutMs: 180_000 });
      const pod2 = await currentPod();
      criOnly(logFile(pod2));
      appendFileSync(logFile(pod2), cri('after resume'));
      await until(subscribe, 'the line from the resumed pod', () => output.includes('after resume'), 90_000);
      assert.ok(
        markers.some((m) => /New pod .*resumed/.test(m)),
        markers.join('\n'),
      );
      assert.equal(output.split('before hibernate').length - 1, 1, 'nothing from before was repeated');
      assert.ok(output.indexOf('still running') < output.indexOf('after resume'));
    } finally {
      follower.dispose();
    }
  });
});
