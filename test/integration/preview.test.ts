// Previews through the real Go sandbox router (sigs.k8s.io/agent-sandbox/sandbox-router, started by
// cluster:up with path routing and the Pod-IP cache) into gVisor sandboxes whose servers bind their
// own pod IP: path and header routing, a WebSocket echo, two sandboxes on the same port at once,
// the router's 502 for a stopped server, a token-checking router, and a hibernated sandbox.
import assert from 'node:assert/strict';
import * as http from 'node:http';
import { after, before, describe, it } from 'node:test';
import WebSocket from 'ws';
import { execCollect } from '../../src/core/exec/execSession';
import type { KubeClient } from '../../src/core/k8s/client';
import type { SandboxOperations } from '../../src/core/k8s/operations';
import { silentLogger } from '../../src/core/logging/logger';
import type { KubeObject } from '../../src/core/model/objects';
import { LABEL_WARM_POOL, podIPs, podName } from '../../src/core/model/sandbox';
import { ExecForward, probeRelay } from '../../src/core/portforward/execForward';
import { readListeningPorts } from '../../src/core/preview/readPorts';
import { PreviewError, resolvePreview } from '../../src/core/preview/resolvePreview';
import { RouterError } from '../../src/core/preview/router';
import { ensureCluster, opsFor, uniqueName } from './cluster';
import { startApp } from './previewServer';

const PORT = 8000;
let NS = 'agent-sandbox-demo';
let env: Record<string, string> = {};
let client: KubeClient;
let ops: SandboxOperations;
const claims: string[] = [];
const boxes: { sandbox: KubeObject; pod: string; ip: string; token: string; close: () => void }[] = [];

function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string; type?: string | undefined }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent: false, headers }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, type: res.headers['content-type'] }));
      })
      .on('error', reject);
  });
}

async function running(claim: string): Promise<{ sandbox: KubeObject; pod: string; ip: string }> {
  const sandbox = await ops.waitClaimReady(NS, claim, { timeoutMs: 180_000 });
  assert.equal(sandbox.metadata.labels?.[LABEL_WARM_POOL], undefined, "the claim's sandbox, not the warm pool's copy from before adoption");
  const pod = podName(sandbox);
  assert.ok(pod, 'the sandbox has a pod');
  const p = await client.get<KubeObject & { status?: { podIP?: string } }>(`/api/v1/namespaces/${NS}/pods/${pod}`);
  const ip = p.status?.podIP ?? '';
  assert.match(ip, /^127\./, `pod IPs are loopback addresses of this machine (got ${ip})`);
  return { sandbox, pod, ip };
}

describe('preview through the sandbox router', { timeout: 15 * 60_000 }, () => {
  before(async () => {
    const c = ensureCluster();
    NS = c.demoNamespace;
    env = c.env;
    ({ client, ops } = await opsFor());
    const pool = await ops.get('SandboxWarmPool', NS, 'python-pool');
    for (let i = 0; i < 2; i++) {
      const name = uniqueName(`preview${i}`);
      claims.push(name);
      await ops.createClaim(NS, name, pool);
    }
    for (const claim of claims) {
      const r = await running(claim);
      const token = `hello from ${r.pod} ${Date.now()}`;
      const app = await startApp(client, NS, r.pod, PORT, token);
      boxes.push({ ...r, token, close: () => app.session.close() });
    }
  });

  after(async () => {
    for (const b of boxes) b.close();
    for (const c of claims) await ops.delete('SandboxClaim', NS, c).catch(() => undefined);
  });

  it('the servers run in gVisor, each on its own pod IP and the same port', async () => {
    const [a, b] = boxes;
    assert.notEqual(a.ip, b.ip);
    const kernel = await execCollect(client, { namespace: NS, pod: a.pod, command: ['sh', '-c', 'uname -r; echo "$POD_IP"'], timeoutMs: 30_000 });
    assert.equal(kernel.stdout.toString(), `4.4.0\n${a.ip}\n`, "gVisor's kernel, and $POD_IP is the pod's status.podIP");
    const ports = await readListeningPorts(client, { namespace: NS, pod: a.pod, podIPs: podIPs(a.sandbox).length ? podIPs(a.sandbox) : [a.ip] });
    const app = ports.find((p) => p.port === PORT);
    assert.ok(app, `port ${PORT} is listed (${JSON.stringify(ports)})`);
    assert.equal(app.address, a.ip);
  });

  it('answers by path routing and by headers, for both sandboxes at once', async () => {
    const [a, b] = boxes;
    const routerBase = env['ROUTER_URL'];
    const [pa, pb] = await Promise.all([get(`${routerBase}/${NS}/${a.pod}/${PORT}/`), get(`${routerBase}/${NS}/${b.pod}/${PORT}/`)]);
    assert.deepEqual([pa.status, pa.body], [200, a.token]);
    assert.deepEqual([pb.status, pb.body], [200, b.token]);
    const origin = new URL(routerBase).origin;
    const hb = await get(`${origin}/anything`, { 'X-Sandbox-ID': b.pod, 'X-Sandbox-Namespace': NS, 'X-Sandbox-Port': String(PORT) });
    assert.deepEqual([hb.status, hb.body], [200, b.token]);
    const plan = await resolvePreview({
      context: 'agent-sandbox-local',
      namespace: NS,
      sandbox: a.sandbox,
      port: PORT,
      routerUrl: routerBase,
      client: 'browser',
    });
    assert.deepEqual(plan, { via: 'router', url: `${routerBase}/${NS}/${a.pod}/${PORT}/`, reason: `the router at ${routerBase} is reachable`, headers: {} });
  });

  it('carries a WebSocket through path routing', async () => {
    const a = boxes[0];
    const ws = new WebSocket(`${env['ROUTER_URL'].replace(/^http/, 'ws')}/${NS}/${a.pod}/${PORT}/ws`);
    const echoed = await new Promise<string>((resolve, reject) => {
      ws.once('open', () => ws.send('ping through the router'));
      ws.once('message', (d) => resolve((d as Buffer).toString())); // text frames arrive as one Buffer
      ws.once('error', reject);
    });
    ws.close();
    assert.equal(echoed, 'ping through the router');
  });

  it('the exec relay reaches a server bound to the pod IP only (falls back to $POD_IP)', async () => {
    const a = boxes[0];
    const relay = await probeRelay(client, { namespace: NS, pod: a.pod });
    const fwd = await ExecForward.start(client, { namespace: NS, pod: () => a.pod, remotePort: PORT }, relay, { localPort: 0 }, silentLogger);
    try {
      assert.deepEqual((await get(`http://127.0.0.1:${fwd.localPort}/`)).body, a.token);
    } finally {
      await fwd.stop();
    }
  });

  it('a token-checking router refuses without a token with its detail, and lets a program in with one', async () => {
    const a = boxes[0];
    const base = env['ROUTER_AUTH_URL'];
    const req = { context: 'agent-sandbox-local', namespace: NS, sandbox: a.sandbox, port: PORT, routerUrl: base };
    await assert.rejects(
      resolvePreview({ ...req, client: 'browser' }),
      (e: unknown) => e instanceof RouterError && e.failure === 'refused' && /^The router refused: \S/.test(e.message),
    );
    const tr = await client.request<{ status: { token: string } }>('POST', `/api/v1/namespaces/${NS}/serviceaccounts/default/token`, {
      body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { expirationSeconds: 600 } },
    });
    const token = tr.status.token;
    const program = await resolvePreview({ ...req, client: 'program', token });
    assert.equal(program.via, 'router');
    assert.equal((await get(program.via === 'router' ? program.url : '', program.via === 'router' ? program.headers : {})).body, a.token);
    const browser = await resolvePreview({ ...req, client: 'browser', token });
    assert.deepEqual(browser, { via: 'relay', reason: `the router at ${base} wants a token, which a browser tab cannot send` });
  });

  it("a stopped server gives the router's 502, and the extension says so", async () => {
    const b = boxes[1];
    const kill = await execCollect(client, { namespace: NS, pod: b.pod, command: ['sh', '-c', 'kill "$(cat preview-app.pid)"'], timeoutMs: 30_000 });
    assert.deepEqual(kill.result, { kind: 'exited', code: 0 }, kill.stderr.toString());
    const r = await get(`${env['ROUTER_URL']}/${NS}/${b.pod}/${PORT}/`);
    assert.equal(r.status, 502);
    assert.match(r.body, /"detail"/);
    await assert.rejects(
      resolvePreview({ context: 'agent-sandbox-local', namespace: NS, sandbox: b.sandbox, port: PORT, routerUrl: env['ROUTER_URL'], client: 'browser' }),
      (e: unknown) =>
        e instanceof RouterError &&
        e.failure === 'unreachable-backend' &&
        /could not reach .*HTTP 502: Could not connect to the backend sandbox/.test(e.message),
    );
  });

  it('a hibernated sandbox says "hibernated — resume to preview"', async () => {
    const b = boxes[1];
    await ops.setSuspended(NS, b.sandbox.metadata.name, true);
    const hibernated = await ops.waitHibernated(NS, b.sandbox.metadata.name, { timeoutMs: 120_000 });
    await assert.rejects(
      resolvePreview({ context: 'agent-sandbox-local', namespace: NS, sandbox: hibernated, port: PORT, routerUrl: env['ROUTER_URL'], client: 'browser' }),
      (e: unknown) => e instanceof PreviewError && e.message === `${b.sandbox.metadata.name} is hibernated — resume to preview.`,
    );
  });
});
