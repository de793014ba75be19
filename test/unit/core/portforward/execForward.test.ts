import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import * as http from 'node:http';
import * as net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { silentLogger } from '../../../../src/core/logging/logger';
import { ExecForward, probeRelay } from '../../../../src/core/portforward/execForward';
import { FakeConn, FakeExecServer } from '../../support/fakeExecServer';
import { listen } from '../../support/loopbackApi';

/**
 * The exec tunnel end to end without a cluster: a fake API server whose "exec" really runs the
 * requested command on this machine (as KWOK does), so the real relay carries real TCP traffic.
 */
function runLocally(conn: FakeConn): void {
  const [cmd, ...args] = conn.command;
  // Like the real API server, open each output stream with an empty frame.
  conn.send(1, Buffer.alloc(0));
  conn.send(2, Buffer.alloc(0));
  const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  child.on('error', (err) => {
    conn.send(2, `${err.message}\n`);
    conn.status({ metadata: {}, status: 'Failure', reason: 'InternalError', message: err.message });
    conn.ws.close(1000);
  });
  conn.ws.on('message', (data: Buffer) => {
    if (data[0] === 0) child.stdin.write(data.subarray(1));
    else if (data[0] === 255 && data[1] === 0) child.stdin.end();
  });
  conn.ws.on('close', () => child.kill());
  child.stdin.on('error', () => undefined);
  child.stdout.on('data', (d: Buffer) => conn.send(1, d));
  child.stderr.on('data', (d: Buffer) => conn.send(2, d));
  child.on('close', (code) => conn.exit(code ?? 1));
}

describe('exec tunnel (ExecForward) through a local exec stand-in', { timeout: 60_000 }, () => {
  let api: FakeExecServer;
  let app: http.Server;
  let appPort: number;
  let echo: net.Server;
  let echoPort: number;
  let relayAvailable = true;

  before(async () => {
    api = (await FakeExecServer.start()).handle(runLocally);
    app = http.createServer((req, res) => res.end(`you asked for ${req.url}`));
    appPort = await listen(app);
    echo = net.createServer({ allowHalfOpen: true }, (s) => s.pipe(s));
    echoPort = await listen(echo);
    try {
      relayAvailable = (await probeRelay(api.client(), { namespace: 'ns', pod: 'p' })) === 'python3';
    } catch {
      relayAvailable = false;
    }
  });

  after(async () => {
    await api.close();
    app.close();
    echo.close();
  });

  it('probes the relay with one exec', async (t) => {
    if (!relayAvailable) return t.skip('python3 is not installed here');
    const before = api.connections.length;
    assert.equal(await probeRelay(api.client(), { namespace: 'ns', pod: 'p', container: 'agent' }), 'python3');
    const conn = api.connections[before];
    assert.equal(conn.command[0], 'sh');
    assert.equal(conn.url.searchParams.get('container'), 'agent');
    assert.equal(conn.url.pathname, '/api/v1/namespaces/ns/pods/p/exec');
  });

  it('serves HTTP through the tunnel, one exec per connection', async (t) => {
    if (!relayAvailable) return t.skip('python3 is not installed here');
    const fwd = await ExecForward.start(api.client(), { namespace: 'ns', pod: () => 'p', remotePort: appPort }, 'python3', { localPort: 0 }, silentLogger);
    try {
      const before = api.connections.length;
      const bodies = await Promise.all(['/a', '/b'].map((p) => fetch(`http://127.0.0.1:${fwd.localPort}${p}`).then((r) => r.text())));
      assert.deepEqual(bodies, ['you asked for /a', 'you asked for /b']);
      assert.equal(api.connections.length - before, 2);
      assert.deepEqual(api.connections[before].command.slice(0, 2), ['python3', '-u']);
      assert.equal(api.connections[before].url.searchParams.get('stdin'), 'true');
      assert.equal(api.connections[before].url.searchParams.get('tty'), 'false');
    } finally {
      await fwd.stop();
    }
  });

  it('carries 8 MB of binary data intact both ways, and passes a half-close on', async (t) => {
    if (!relayAvailable) return t.skip('python3 is not installed here');
    const fwd = await ExecForward.start(api.client(), { namespace: 'ns', pod: () => 'p', remotePort: echoPort }, 'python3', { localPort: 0 }, silentLogger);
    try {
      const payload = randomBytes(8 * 1024 * 1024);
      const received = await new Promise<Buffer>((resolve, reject) => {
        const chunks: Buffer[] = [];
        const s = net.connect(fwd.localPort, '127.0.0.1', () => s.end(payload));
        s.on('data', (d) => chunks.push(d));
        s.on('end', () => resolve(Buffer.concat(chunks)));
        s.on('error', reject);
      });
      assert.equal(received.length, payload.length);
      assert.equal(createHash('sha256').update(received).digest('hex'), createHash('sha256').update(payload).digest('hex'));
    } finally {
      await fwd.stop();
    }
  });

  it('a local client that reads slowly holds the sandbox side back: the extension does not buffer without limit', async (t) => {
    if (!relayAvailable) return t.skip('python3 is not installed here');
    const TOTAL = 48 * 1024 * 1024;
    const source = net.createServer((s) => {
      const chunk = Buffer.alloc(1 << 20, 7);
      let sent = 0;
      const pump = () => {
        while (sent < TOTAL) {
          sent += chunk.length;
          if (!s.write(chunk)) return void s.once('drain', pump);
        }
        s.end();
      };
      pump();
    });
    const sourcePort = await listen(source);
    const fwd = await ExecForward.start(api.client(), { namespace: 'ns', pod: () => 'p', remotePort: sourcePort }, 'python3', { localPort: 0 }, silentLogger);
    const local = (fwd as unknown as { sockets: Set<net.Socket> }).sockets;
    try {
      let received = 0;
      let maxQueued = 0;
      const client = net.connect(fwd.localPort, '127.0.0.1');
      client.pause();
      // Read nothing until the first megabytes are queued, then for a while watch what piles up
      // in the extension host (the local socket's queue) while the client still reads nothing.
      const sample = () => {
        for (const s of local) maxQueued = Math.max(maxQueued, s.writableLength);
      };
      await new Promise<void>((resolve) => {
        const timer = setInterval(() => {
          sample();
          if (maxQueued > 12 * 1024 * 1024 || Date.now() - started > 3000) {
            clearInterval(timer);
            resolve();
          }
        }, 20);
        const started = Date.now();
      });
      assert.ok(maxQueued <= 12 * 1024 * 1024, `at most a few MB queued locally (saw ${(maxQueued / 1048576).toFixed(1)} MB)`);
      await new Promise<void>((resolve, reject) => {
        client.on('data', (d) => (received += d.length));
        client.on('end', resolve);
        client.on('error', reject);
        client.resume();
      });
      assert.equal(received, TOTAL, 'every byte arrives once the client reads');
    } finally {
      await fwd.stop();
      source.close();
    }
  });

  it('reports a refused connection inside the sandbox and closes the local one', async (t) => {
    if (!relayAvailable) return t.skip('python3 is not installed here');
    const closed = net.createServer();
    const deadPort = await listen(closed);
    await new Promise<void>((r) => closed.close(() => r()));
    const problems: string[] = [];
    let notify: () => void = () => undefined;
    const reported = new Promise<void>((r) => (notify = r));
    const fwd = await ExecForward.start(
      api.client(),
      { namespace: 'ns', pod: () => 'p', remotePort: deadPort },
      'python3',
      { localPort: 0, onProblem: (m) => (problems.push(m), notify()) },
      silentLogger,
    );
    try {
      const ended = await new Promise<string>((resolve) => {
        const s = net.connect(fwd.localPort, '127.0.0.1');
        s.on('end', () => resolve('end'));
        s.on('error', (e) => resolve(e.message));
        s.resume();
      });
      assert.ok(ended === 'end' || /ECONNRESET/.test(ended), ended);
      await reported;
      assert.deepEqual(problems, [`Nothing is listening on port ${deadPort} inside the sandbox.`]);
    } finally {
      await fwd.stop();
    }
  });

  it('refuses connections while the sandbox has no pod, and stop() closes open ones', async () => {
    const problems: string[] = [];
    let pod: string | undefined;
    const fwd = await ExecForward.start(
      api.client(),
      { namespace: 'ns', pod: () => pod, remotePort: appPort },
      'python3',
      { localPort: 0, onProblem: (m) => problems.push(m) },
      silentLogger,
    );
    const closedBy = await new Promise<string>((resolve) => {
      const s = net.connect(fwd.localPort, '127.0.0.1');
      s.on('close', () => resolve('closed'));
      s.on('error', () => undefined);
    });
    assert.equal(closedBy, 'closed');
    assert.deepEqual(problems, ['the sandbox has no running pod']);
    pod = 'p';
    await fwd.stop();
    await assert.rejects(fetch(`http://127.0.0.1:${fwd.localPort}/`));
  });
});
