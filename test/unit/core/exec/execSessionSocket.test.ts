// ExecSession opens its websocket through the client's injected factory (not `new WebSocket`): a
// recording factory sees the URL, subprotocols and credentials, a scripted socket carries a whole
// exec without any server, and the composition root's factory reaches the session's client.
import { KubeConfig } from '@kubernetes/client-node';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { describe, it } from 'node:test';
import { classifyError, classifyEnding } from '../../../../src/core/exec/codes';
import { ExecSession } from '../../../../src/core/exec/execSession';
import type { ExecResult } from '../../../../src/core/exec/status';
import { KubeClient } from '../../../../src/core/k8s/client';
import { KubeError } from '../../../../src/core/k8s/errors';
import { SOCKET_OPEN, type WebSocketFactory, type WebSocketLike, type WebSocketOptions } from '../../../../src/core/k8s/webSocket';
import { silentLogger } from '../../../../src/core/logging/logger';
import { ContextSession } from '../../../../src/core/session';

function kubeconfig(): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'c', server: 'http://127.0.0.1:9', skipTLSVerify: true }],
    users: [{ name: 'u', token: 'secret-token' }],
    contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
    currentContext: 'x',
  });
  return kc;
}

/** A socket the test drives: what the server would send is emitted by hand, what we send is kept. */
class ScriptedSocket extends EventEmitter implements WebSocketLike {
  readyState = 0;
  protocol = '';
  bufferedAmount = 0;
  readonly sent: Buffer[] = [];
  closedWith: number | 'terminated' | undefined;
  send(data: Buffer): void {
    this.sent.push(data);
  }
  ping(): void {}
  pause(): void {}
  resume(): void {}
  close(code?: number): void {
    this.closedWith = code;
    this.readyState = 3;
  }
  terminate(): void {
    this.closedWith = 'terminated';
    this.readyState = 3;
  }
  /** The server accepted the upgrade with this subprotocol. */
  accept(protocol: string): void {
    this.readyState = SOCKET_OPEN;
    this.protocol = protocol;
    this.emit('open');
  }
  frame(channel: number, text: string): void {
    this.emit('message', Buffer.concat([Buffer.from([channel]), Buffer.from(text)]));
  }
}

function scripted(behave: (s: ScriptedSocket) => void) {
  const calls: { url: string; protocols: readonly string[]; options: WebSocketOptions }[] = [];
  const sockets: ScriptedSocket[] = [];
  const factory: WebSocketFactory = (url, protocols, options) => {
    calls.push({ url, protocols, options });
    const s = new ScriptedSocket();
    sockets.push(s);
    setImmediate(() => behave(s));
    return s;
  };
  return { calls, sockets, client: new KubeClient(kubeconfig(), 'x', silentLogger, {}, factory) };
}

const target = { namespace: 'demo', pod: 'sb-1', container: 'main' };

describe('ExecSession through an injected socket factory', () => {
  it('hands the factory the exec URL, both subprotocols and the credentials, and runs the exec over its socket', async () => {
    const { calls, sockets, client } = scripted((s) => s.accept('v5.channel.k8s.io'));
    let resolveEnd!: (r: ExecResult) => void;
    const ended = new Promise<ExecResult>((r) => (resolveEnd = r));
    const out: string[] = [];
    const session = await ExecSession.open(
      client,
      { ...target, command: ['sh'], tty: true, stdin: true, size: { cols: 100, rows: 30 }, pingMs: 0, connectTimeoutMs: 1234 },
      { stdout: (d) => out.push(d.toString()), end: resolveEnd },
    );
    assert.equal(calls.length, 1);
    const url = new URL(calls[0].url);
    assert.equal(`${url.protocol}//${url.host}${url.pathname}`, 'ws://127.0.0.1:9/api/v1/namespaces/demo/pods/sb-1/exec');
    assert.equal(url.searchParams.get('container'), 'main');
    assert.deepEqual(calls[0].protocols, ['v5.channel.k8s.io', 'v4.channel.k8s.io']);
    assert.equal(calls[0].options.headers['Authorization'], 'Bearer secret-token');
    assert.equal(calls[0].options.handshakeTimeout, 1234);
    assert.equal(calls[0].options.perMessageDeflate, false);
    assert.equal(session.protocol, 'v5.channel.k8s.io');
    const socket = sockets[0];
    assert.deepEqual(JSON.parse(socket.sent[0].subarray(1).toString()), { Width: 100, Height: 30 });
    socket.frame(1, 'hi');
    socket.frame(3, JSON.stringify({ status: 'Success' }));
    socket.emit('close', 1000, Buffer.alloc(0));
    assert.deepEqual(await ended, { kind: 'exited', code: 0 });
    assert.deepEqual(out, ['hi']);
  });

  it('a socket dropped without a status ends as lost, carrying its close code for the classifier', async () => {
    const { sockets, client } = scripted((s) => s.accept('v4.channel.k8s.io'));
    let resolveEnd!: (r: ExecResult) => void;
    const ended = new Promise<ExecResult>((r) => (resolveEnd = r));
    await ExecSession.open(client, { ...target, command: ['sh'], tty: true, stdin: true, pingMs: 0 }, { end: resolveEnd });
    sockets[0].emit('close', 1006, Buffer.alloc(0));
    const r = await ended;
    assert.deepEqual(r, { kind: 'lost', message: 'connection closed without an exit status (code 1006)', closeCode: 1006 });
    assert.equal(classifyEnding(r)?.action, 'retry');
  });

  it('a factory whose socket cannot connect: the open rejects as a network error (retried), and the socket is dropped', async () => {
    const { sockets, client } = scripted((s) => s.emit('error', Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:443'), { code: 'ECONNREFUSED' })));
    const err = await ExecSession.open(client, { ...target, command: ['sh'], tty: true, stdin: true }, {}).then(
      () => assert.fail('opened'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof KubeError);
    assert.equal(err.kind, 'network');
    assert.match(err.message, /Cannot open a session in sb-1: connect ECONNREFUSED/);
    assert.equal(sockets[0].closedWith, 'terminated');
    assert.equal(classifyError(err).action, 'retry');
  });

  it('the factory given to a context session reaches its client (the composition root passes ws)', () => {
    const factory: WebSocketFactory = () => new ScriptedSocket();
    const session = new ContextSession(kubeconfig(), 'x', { all: true }, silentLogger, { openSocket: factory });
    assert.equal(session.client.openSocket, factory);
    session.dispose();
    assert.notEqual(new ContextSession(kubeconfig(), 'x', { all: true }, silentLogger).client.openSocket, undefined);
  });
});
