import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { KubeClient } from '../../../../src/core/k8s/client';
import { closeServer, listen, loopbackClient, serveInSuite } from '../../support/loopbackApi';

/** No proxy variables unless a test passes them. */
const clientFor = (server: string, env: NodeJS.ProcessEnv = {}, skipTLSVerify = false): KubeClient =>
  loopbackClient(server, { context: 'x', token: 'secret-token', skipTLSVerify, env });

const hasIpv6 = (() => {
  try {
    return Object.values(require('node:os').networkInterfaces() as Record<string, { address: string }[]>)
      .flat()
      .some((a) => a.address === '::1');
  } catch {
    return false;
  }
})();

describe('KubeClient transport', () => {
  const conns: number[] = [];
  const api = http.createServer((req, res) =>
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ path: req.url, auth: req.headers.authorization })),
  );
  api.on('connection', () => conns.push(Date.now()));
  const v4 = serveInSuite(api);

  it('talks plain http to a loopback server (kubectl proxy) and reuses one kept-alive connection', async () => {
    const client = clientFor(`http://127.0.0.1:${v4.port}`);
    const before = conns.length;
    for (let i = 0; i < 5; i++) assert.deepEqual(await client.get('/version'), { path: '/version', auth: 'Bearer secret-token' });
    assert.equal(conns.length - before, 1, 'five requests, one TCP connection');
  });

  it('refuses plain http to a non-loopback server with a message that says why', async () => {
    await assert.rejects(clientFor('http://10.255.255.1:8080').get('/version'), /plain HTTP.*only on loopback/);
  });

  it('reaches an IPv6 server: brackets are not part of the host name', { skip: hasIpv6 ? false : 'no ::1 on this machine' }, async () => {
    const v6 = http.createServer((req, res) => res.writeHead(200).end(JSON.stringify({ ok: req.url })));
    const port = await listen(v6, '::1');
    try {
      assert.deepEqual(await clientFor(`http://[::1]:${port}`).get('/api'), { ok: '/api' });
    } finally {
      v6.close();
    }
  });

  describe('proxies from the environment, as kubectl honours them', () => {
    let dir: string;
    let tlsPort = 0;
    let proxyPort = 0;
    const connects: string[] = [];
    let tls: https.Server;
    let proxy: http.Server;
    before(async () => {
      dir = mkdtempSync(join(tmpdir(), 'as-proxy-'));
      execFileSync(
        'openssl',
        ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=kube.invalid', '-keyout', join(dir, 'k.pem'), '-out', join(dir, 'c.pem')],
        { stdio: 'ignore' },
      );
      tls = https.createServer({ key: readFileSync(join(dir, 'k.pem')), cert: readFileSync(join(dir, 'c.pem')) }, (req, res) =>
        res.writeHead(200).end(JSON.stringify({ via: 'tls', path: req.url })),
      );
      tlsPort = await listen(tls);
      proxy = http.createServer((_req, res) => res.writeHead(405).end());
      proxy.on('connect', (req, sock: net.Socket, head) => {
        connects.push(req.url ?? '');
        const up = net.connect(tlsPort, '127.0.0.1', () => {
          sock.write('HTTP/1.1 200 Connection Established\r\n\r\n');
          up.write(head);
          up.pipe(sock).pipe(up);
        });
        up.on('error', () => sock.destroy());
        sock.on('error', () => up.destroy());
      });
      proxyPort = await listen(proxy);
    });
    after(() => {
      void closeServer(proxy);
      void closeServer(tls);
    });

    it('HTTPS_PROXY carries requests to an https server through CONNECT', async () => {
      const client = clientFor('https://kube.invalid:6443', { HTTPS_PROXY: `http://127.0.0.1:${proxyPort}` }, true);
      assert.deepEqual(await client.get('/api'), { via: 'tls', path: '/api' });
      assert.deepEqual(connects, ['kube.invalid:6443']);
    });

    it('NO_PROXY (suffix match) and loopback servers bypass the proxy', async () => {
      connects.length = 0;
      const bypassed = clientFor('https://kube.invalid:6443', { https_proxy: `http://127.0.0.1:${proxyPort}`, NO_PROXY: 'other.example,.invalid' }, true);
      await assert.rejects(bypassed.get('/api'), /Cannot reach|ENOTFOUND|EAI_AGAIN/);
      const loopback = clientFor(`https://127.0.0.1:${tlsPort}`, { HTTPS_PROXY: `http://127.0.0.1:${proxyPort}` }, true);
      assert.deepEqual(await loopback.get('/x'), { via: 'tls', path: '/x' });
      assert.deepEqual(connects, []);
    });
  });
});

describe('KubeClient on a kept-alive connection the server has dropped', () => {
  // What a restarted or failed-over kube-apiserver leaves behind: the pooled socket is gone on the
  // server's side, and the next request on it is answered with a reset, not a response.
  const seen = new WeakMap<net.Socket, number>();
  let resets = 0;
  const api = http.createServer((req, res) => {
    const n = (seen.get(req.socket) ?? 0) + 1;
    seen.set(req.socket, n);
    if (n >= 2 && req.url === '/reset-reused') {
      resets++;
      req.socket.resetAndDestroy();
      return;
    }
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ n, method: req.method }));
  });
  const served = serveInSuite(api);

  it('sends the request again on a new connection, once, for GET and for POST', async () => {
    const client = clientFor(`http://127.0.0.1:${served.port}`);
    await client.get('/first');
    assert.deepEqual(await client.get('/reset-reused'), { n: 1, method: 'GET' }, 'answered on a fresh connection');
    await client.get('/again');
    assert.deepEqual(await client.request('POST', '/reset-reused', { body: {} }), { n: 1, method: 'POST' });
    assert.equal(resets, 2);
  });

  it('a reset on a fresh connection is reported, not retried', async () => {
    const reset = http.createServer((req) => req.socket.resetAndDestroy());
    const p = await listen(reset);
    try {
      await assert.rejects(clientFor(`http://127.0.0.1:${p}`).get('/x'), /ECONNRESET/);
    } finally {
      reset.close();
    }
  });
});
