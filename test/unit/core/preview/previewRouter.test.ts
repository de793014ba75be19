import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PreviewError, resolvePreview } from '../../../../src/core/preview/resolvePreview';
import {
  describeRouterStatus,
  Fetch,
  probeRouter,
  RouterError,
  routerPreviewUrl,
  routerResponseError,
  validateRouterUrl,
} from '../../../../src/core/preview/router';
import type { KubeObject } from '../../../../src/core/model/objects';

/** A fetch that answers from a table: url -> (headers) -> [status, body, content-type]. */
function fakeFetch(routes: Record<string, (h: Record<string, string>) => [number, string, string?]>, seen: string[] = []): Fetch {
  return async (url, init) => {
    seen.push(`${url}${init?.headers?.['Authorization'] ? ' +token' : ''}`);
    const route = routes[url];
    if (!route) throw Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED', message: `connect ECONNREFUSED ${url}` } });
    const [status, body, type] = route(init?.headers ?? {});
    return {
      status,
      headers: { get: (n: string) => (n.toLowerCase() === 'content-type' ? (type ?? 'text/html') : null) },
      text: async () => body,
      body: { cancel: async () => {} },
    };
  };
}

const ROUTER = 'http://127.0.0.1:9000/router';
const healthy = { 'http://127.0.0.1:9000/healthz': (): [number, string, string] => [200, '{"status":"ok"}', 'application/json'] };

function sandbox(state: 'running' | 'suspended'): KubeObject {
  return {
    apiVersion: 'agents.x-k8s.io/v1beta1',
    kind: 'Sandbox',
    metadata: { name: 'demo', namespace: 'ns1' },
    spec: state === 'suspended' ? { operatingMode: 'Suspended' } : {},
    status:
      state === 'running'
        ? { conditions: [{ type: 'Ready', status: 'True', reason: 'DependenciesReady' }] }
        : { conditions: [{ type: 'Ready', status: 'False', reason: 'SandboxSuspended' }] },
  };
}

describe('sandbox router', () => {
  it('builds path-routing URLs and validates router URLs', () => {
    assert.equal(routerPreviewUrl(`${ROUTER}/`, 'ns1', 'pod-a', 8000), `${ROUTER}/ns1/pod-a/8000/`);
    assert.equal(routerPreviewUrl(ROUTER, 'ns1', 'pod-a', 8000, 'ws'), `${ROUTER}/ns1/pod-a/8000/ws`);
    assert.throws(() => routerPreviewUrl(ROUTER, 'ns', 'p', 0));
    assert.equal(validateRouterUrl('https://gw.example.com/router'), undefined);
    assert.match(validateRouterUrl('ftp://x') ?? '', /http/);
    assert.match(validateRouterUrl('https://u:p@x/') ?? '', /credentials/);
    assert.match(validateRouterUrl('nope') ?? '', /Not a URL/);
  });

  it("turns the router's JSON errors into sentences with its detail; leaves the app's own errors alone", () => {
    const refused = routerResponseError(401, '{"detail":"Bearer token required."}', 'application/json', 'demo:8000');
    assert.ok(refused instanceof RouterError);
    assert.equal(refused.message, 'The router refused: Bearer token required.');
    assert.equal(refused.failure, 'refused');
    const down = routerResponseError(502, '{"detail":"Could not connect to the backend sandbox: demo"}', 'application/json', 'demo:8000');
    assert.equal(down?.failure, 'unreachable-backend');
    assert.match(down?.message ?? '', /could not reach demo:8000 \(HTTP 502: Could not connect/);
    assert.equal(routerResponseError(404, 'Not Found', 'text/html', 'demo:8000'), undefined);
  });

  it('probes /healthz, else a detail under the prefix, and says why it is unreachable', async () => {
    assert.deepEqual(await probeRouter(ROUTER, fakeFetch(healthy)), { kind: 'reachable', url: ROUTER });
    const gateway = fakeFetch({
      'http://127.0.0.1:9000/healthz': () => [404, 'no', 'text/plain'],
      [`${ROUTER}/`]: () => [400, '{"detail":"Path-routed request must have the form"}', 'application/json'],
    });
    assert.equal((await probeRouter(ROUTER, gateway)).kind, 'reachable');
    const other = await probeRouter(ROUTER, fakeFetch({ 'http://127.0.0.1:9000/healthz': () => [404, 'x'], [`${ROUTER}/`]: () => [200, '<html>'] }));
    assert.match(describeRouterStatus(other), /unreachable at .*not like a sandbox router \(HTTP 200\)/);
    const down = await probeRouter(ROUTER, fakeFetch({}));
    assert.equal(describeRouterStatus(down), `unreachable at ${ROUTER} (connection refused)`);
    assert.equal(
      describeRouterStatus({ kind: 'not-configured', hint: 'Service sandbox-router-svc found in ns1' }),
      'not configured (Service sandbox-router-svc found in ns1)',
    );
  });
});

describe('resolvePreview', () => {
  const base = { context: 'ctx', namespace: 'ns1', port: 8000, client: 'browser' as const };

  it('says "hibernated — resume to preview" for a hibernated sandbox', async () => {
    await assert.rejects(
      resolvePreview({ ...base, sandbox: sandbox('suspended'), routerUrl: ROUTER, fetch: fakeFetch(healthy) }),
      (e: unknown) => e instanceof PreviewError && /hibernated — resume to preview/.test(e.message),
    );
  });

  it('uses the relay when no router is set or it does not answer, and says why', async () => {
    assert.deepEqual(await resolvePreview({ ...base, sandbox: sandbox('running') }), { via: 'relay', reason: 'no router URL is set for context "ctx"' });
    const plan = await resolvePreview({ ...base, sandbox: sandbox('running'), routerUrl: ROUTER, fetch: fakeFetch({}) });
    assert.equal(plan.via, 'relay');
    assert.match(plan.reason, /the router is unreachable at http:\/\/127.0.0.1:9000\/router \(connection refused/);
  });

  it('uses the relay for an unclaimed warm-pool sandbox (the router routes those by UID only)', async () => {
    const pooled = {
      ...sandbox('running'),
      metadata: { name: 'demo', namespace: 'ns1', labels: { 'agents.x-k8s.io/warm-pool-sandbox': 'abc' } },
    } as KubeObject;
    const plan = await resolvePreview({ ...base, sandbox: pooled, routerUrl: ROUTER, fetch: fakeFetch(healthy) });
    assert.deepEqual(plan, { via: 'relay', reason: 'demo is an unclaimed warm-pool sandbox, which the router does not route to by name' });
  });

  it('uses the path-routing URL of the pod when the router answers', async () => {
    const plan = await resolvePreview({
      ...base,
      sandbox: sandbox('running'),
      routerUrl: ROUTER,
      fetch: fakeFetch({ ...healthy, [`${ROUTER}/ns1/demo/8000/`]: () => [200, 'hi'] }),
    });
    assert.deepEqual(plan, { via: 'router', url: `${ROUTER}/ns1/demo/8000/`, reason: `the router at ${ROUTER} is reachable`, headers: {} });
  });

  it("reports the router's 502 and its refusals; a token helps programs, not browser tabs", async () => {
    const down = fakeFetch({
      ...healthy,
      [`${ROUTER}/ns1/demo/8000/`]: () => [502, '{"detail":"Could not connect to the backend sandbox: demo"}', 'application/json'],
    });
    await assert.rejects(
      resolvePreview({ ...base, sandbox: sandbox('running'), routerUrl: ROUTER, fetch: down }),
      (e: unknown) => e instanceof RouterError && e.failure === 'unreachable-backend',
    );
    const authed = (h: Record<string, string>): [number, string, string] =>
      h['Authorization'] === 'Bearer good' ? [200, 'ok', 'text/html'] : [401, '{"detail":"missing bearer token"}', 'application/json'];
    const routes = { ...healthy, [`${ROUTER}/ns1/demo/8000/`]: authed };
    await assert.rejects(
      resolvePreview({ ...base, sandbox: sandbox('running'), routerUrl: ROUTER, fetch: fakeFetch(routes) }),
      /The router refused: missing bearer token/,
    );
    await assert.rejects(
      resolvePreview({ ...base, sandbox: sandbox('running'), routerUrl: ROUTER, token: 'bad', fetch: fakeFetch(routes) }),
      /The router refused/,
    );
    const seen: string[] = [];
    const browser = await resolvePreview({ ...base, sandbox: sandbox('running'), routerUrl: ROUTER, token: 'good', fetch: fakeFetch(routes, seen) });
    assert.equal(browser.via, 'relay');
    assert.match(browser.reason, /wants a token, which a browser tab cannot send/);
    const program = await resolvePreview({
      ...base,
      client: 'program',
      sandbox: sandbox('running'),
      routerUrl: ROUTER,
      token: 'good',
      fetch: fakeFetch(routes),
    });
    assert.deepEqual(program.via === 'router' && program.headers, { Authorization: 'Bearer good' });
  });
});
