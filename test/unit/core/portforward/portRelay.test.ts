import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as net from 'node:net';
import { describe, it } from 'node:test';
import { parseProbe, PROBE_COMMAND, relayCommand, relayFailure } from '../../../../src/core/portforward/relay';
import { listen } from '../../support/loopbackApi';

describe('port-forward relay', () => {
  it('builds an argv per relay (no shell) and validates the port', () => {
    assert.deepEqual(relayCommand('socat', 8080), ['socat', '-', 'TCP:localhost:8080']);
    assert.deepEqual(relayCommand('busybox-nc', 80), ['busybox', 'nc', '127.0.0.1', '80']);
    assert.equal(relayCommand('python3', 8888)[0], 'python3');
    assert.throws(() => relayCommand('nc', 0));
    assert.throws(() => relayCommand('nc', 70000));
  });

  it('reads the probe output', () => {
    assert.equal(parseProbe('python3\n'), 'python3');
    assert.equal(parseProbe('busybox-nc'), 'busybox-nc');
    assert.equal(parseProbe('sh: not found'), undefined);
    assert.equal(parseProbe(''), undefined);
  });

  it('explains relay failures', () => {
    assert.equal(
      relayFailure('agent-sandbox-relay: cannot connect to port 9 in the sandbox: Connection refused', 9),
      'Nothing is listening on port 9 inside the sandbox.',
    );
    assert.match(relayFailure('boom\nlast words', 9), /last words/);
  });

  // The Python relay is what carries bytes in most sandboxes; run it for real against a local
  // echo server (this machine has python3, as the sandboxes of the local cluster do).
  it('the python relay copies bytes both ways and half-closes on stdin EOF', async (t) => {
    const probe = spawn(PROBE_COMMAND[0], PROBE_COMMAND.slice(1));
    const found = await new Promise<string>((resolve) => {
      let out = '';
      probe.stdout.on('data', (d) => (out += d));
      probe.on('close', () => resolve(out));
    });
    if (parseProbe(found) !== 'python3') return t.skip(`no python3 here (probe said ${JSON.stringify(found)})`);
    const server = net.createServer({ allowHalfOpen: true }, (s) => {
      const chunks: Buffer[] = [];
      s.on('data', (d) => chunks.push(d));
      s.on('end', () => s.end(Buffer.concat(chunks).reverse()));
    });
    const port = await listen(server);
    const [cmd, ...args] = relayCommand('python3', port);
    const relay = spawn(cmd, args);
    const payload = Buffer.from([0, 1, 2, 255, 254, 10, 13, 0]);
    const out: Buffer[] = [];
    relay.stdout.on('data', (d) => out.push(d));
    relay.stdin.end(payload);
    const code = await new Promise<number | null>((r) => relay.on('close', r));
    server.close();
    assert.equal(code, 0);
    assert.deepEqual(Buffer.concat(out), Buffer.from(payload).reverse());
  });

  it('the python relay reaches a server bound to the pod IP only ($POD_IP)', async (t) => {
    if (spawnSync('python3', ['-c', '1']).status !== 0) return t.skip('no python3 here');
    // 127.0.0.0/8 is all loopback on Linux: 127.77.0.9 stands in for a pod IP (as in the local cluster).
    const podIP = '127.77.0.9';
    const server = net.createServer((s) => s.end('hello from the pod address'));
    const port = await listen(server, podIP);
    const [cmd, ...args] = relayCommand('python3', port);
    const run = (env: NodeJS.ProcessEnv) =>
      new Promise<{ code: number | null; out: string }>((resolve) => {
        const relay = spawn(cmd, args, { env });
        let out = '';
        relay.stdout.on('data', (d) => (out += d));
        relay.stdin.end();
        relay.on('close', (code) => resolve({ code, out }));
      });
    const withIP = await run({ ...process.env, POD_IP: podIP });
    const without = await run({ ...process.env, POD_IP: '' });
    server.close();
    assert.equal(withIP.code, 0);
    assert.equal(withIP.out, 'hello from the pod address');
    assert.equal(without.code, 2, 'without $POD_IP only localhost is tried');
  });

  it('the python relay says clearly when nothing listens', async (t) => {
    const free = net.createServer();
    const port = await listen(free);
    await new Promise<void>((r) => free.close(() => r()));
    const [cmd, ...args] = relayCommand('python3', port);
    const relay = spawn(cmd, args);
    let err = '';
    relay.on('error', () => undefined);
    relay.stderr.on('data', (d) => (err += d));
    const code = await new Promise<number | null>((r) => relay.on('close', r));
    if (code === null || /not found|ENOENT/.test(err)) return t.skip('no python3 here');
    assert.equal(code, 2);
    assert.equal(relayFailure(err, port), `Nothing is listening on port ${port} inside the sandbox.`);
  });
});
