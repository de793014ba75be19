// ContextSession against a loopback API server that answers discovery (the real KubeClient), with
// the model's watches scripted: connecting → ready / not-installed / unreachable, Retry, dispose.
import assert from 'node:assert/strict';
import * as http from 'node:http';
import { describe, it } from 'node:test';
import { silentLogger } from '../../../src/core/logging/logger';
import { ContextSession, SessionState } from '../../../src/core/session';
import type { HttpWatchOptions } from '../../../src/core/k8s/watchTransport';
import { closeServer, listen, loopbackKubeconfig, serveInSuite } from '../support/loopbackApi';
import { ScriptedTransport, tick } from '../support/watchFakes';

const group = (name: string, version: string) => ({ name, versions: [{ groupVersion: `${name}/${version}`, version }] });
const installed = { groups: [group('agents.x-k8s.io', 'v1beta1'), group('extensions.agents.x-k8s.io', 'v1beta1')] };

/** An API server whose /apis answer each test sets; a closed port stands for an unreachable one. */
let apis: unknown = installed;
const server = http.createServer((req, res) => {
  const body = req.url === '/apis' ? apis : req.url === '/version' ? { gitVersion: 'v1.33.0' } : undefined;
  if (body === undefined) res.writeHead(404).end();
  else res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
});
const served = serveInSuite(server);

/** Closed at once: connecting to it is refused. */
async function closedPort(): Promise<number> {
  const s = http.createServer();
  const p = await listen(s);
  await closeServer(s);
  return p;
}

function session(url = `http://127.0.0.1:${served.port}`) {
  const transports: { path: string; labelSelector?: string | undefined; t: ScriptedTransport; options: HttpWatchOptions }[] = [];
  const s = new ContextSession(loopbackKubeconfig(url, { context: 'ctx', token: 't' }), 'ctx', { all: false, namespaces: ['a'] }, silentLogger, {
    watchTransport: (_client, path, query, options) => {
      const t = new ScriptedTransport();
      transports.push({ path, labelSelector: query?.labelSelector, t, options });
      return t;
    },
  });
  const states: SessionState['kind'][] = [];
  s.onDidChangeState((st) => states.push(st.kind));
  return { s, states, transports };
}

/** Answers every open list, so the informers open their watches. */
async function syncAll(transports: { t: ScriptedTransport }[]): Promise<void> {
  for (const { t } of transports) for (const l of t.lists.splice(0)) l.resolve({ items: [], resourceVersion: '1' });
  await tick();
}

describe('ContextSession', () => {
  it('connecting → ready with the discovered API, a model on the injected transport and operations', async () => {
    apis = installed;
    const { s, states, transports } = session();
    assert.deepEqual(s.state, { kind: 'connecting' });
    await s.connect();
    assert.deepEqual(states, ['connecting', 'ready']);
    const st = s.state;
    assert.ok(st.kind === 'ready');
    assert.deepEqual(st.api, { core: 'v1beta1', extensions: 'v1beta1' });
    assert.equal(st.serverVersion, 'v1.33.0');
    assert.equal(transports.length, 0, 'no watch before the model starts (the view is not visible yet)');
    st.model.start();
    const paths = transports.map((x) => x.path);
    assert.ok(paths.includes('/apis/agents.x-k8s.io/v1beta1/namespaces/a/sandboxes'), paths.join());
    assert.ok(
      transports.some((x) => x.path === '/api/v1/namespaces/a/pods' && x.labelSelector === 'agents.x-k8s.io/sandbox-name-hash'),
      'pods are watched by the controller label',
    );
    // bench:fleet wraps the transport: it must list as the extension does, streamed where offered.
    const choices = new Set(transports.map((x) => x.options.streamingList));
    assert.equal(choices.size, 1, 'one streamed-list choice shared by every collection');
    assert.ok([...choices][0], 'the injected transport gets the session’s streamed-list choice');
    s.dispose();
  });

  it('not-installed when the cluster serves no agents.x-k8s.io', async () => {
    apis = { groups: [group('apps', 'v1')] };
    const { s, states } = session();
    await s.connect();
    assert.deepEqual(states, ['connecting', 'not-installed']);
    assert.equal(s.state.kind === 'not-installed' && s.state.serverVersion, 'v1.33.0');
    s.dispose();
  });

  it('unreachable when nothing listens, with a network error', async () => {
    const { s, states } = session(`http://127.0.0.1:${await closedPort()}`);
    await s.connect();
    assert.deepEqual(states, ['connecting', 'unreachable']);
    assert.ok(s.state.kind === 'unreachable' && s.state.error.message.length > 0);
    s.dispose();
  });

  it('Retry after ready disposes the old model (its watches close) and reports the new outcome', async () => {
    apis = installed;
    const { s, states, transports } = session();
    await s.connect();
    const first = s.state.kind === 'ready' ? s.state.model : undefined;
    assert.ok(first);
    first.start();
    await syncAll(transports);
    const watches = transports.flatMap((x) => x.t.watches);
    assert.ok(watches.length > 0);
    apis = { groups: [] };
    await s.connect();
    assert.deepEqual(states, ['connecting', 'ready', 'connecting', 'not-installed']);
    assert.ok(
      watches.every((w) => w.closed),
      'the old model stopped watching',
    );
    assert.equal(first.isRunning, false);
    s.dispose();
  });

  it('connect() while connecting is the same attempt', async () => {
    apis = installed;
    const { s, states } = session();
    const a = s.connect();
    const b = s.connect();
    assert.equal(a, b);
    await a;
    assert.deepEqual(states, ['connecting', 'ready']);
    s.dispose();
  });

  it("dispose stops the model's watches and silences a connect in flight", async () => {
    apis = installed;
    const { s, states, transports } = session();
    await s.connect();
    assert.ok(s.state.kind === 'ready');
    s.state.model.start();
    await syncAll(transports);
    const watches = transports.flatMap((x) => x.t.watches);
    assert.ok(watches.length > 0);
    s.dispose();
    assert.ok(s.state.model.isRunning === false);
    assert.ok(watches.every((w) => w.closed));

    const late = session();
    const pending = late.s.connect();
    late.s.dispose();
    await pending;
    assert.deepEqual(late.states, ['connecting'], 'no state after dispose');
    assert.equal(late.s.state.kind, 'connecting');
    assert.deepEqual(states, ['connecting', 'ready']);
  });
});
