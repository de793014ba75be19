// SandboxOperations.waitClaimReady against a stand-in API server over real sockets: which requests
// it makes. Given the created claim it watches from the claim's version (no list, no quorum read
// to start from), then reads the bound sandbox once; only a sandbox that is not ready yet is
// watched, from the version that read saw.
import assert from 'node:assert/strict';
import * as http from 'node:http';
import { describe, it } from 'node:test';
import { SandboxOperations } from '../../../../src/core/k8s/operations';
import { silentLogger } from '../../../../src/core/logging/logger';
import { LABEL_WARM_POOL } from '../../../../src/core/model/sandbox';
import type { KubeObject } from '../../../../src/core/model/objects';
import { loopbackClient, serveInSuite } from '../../support/loopbackApi';

const NS = 'demo';
const CLAIMS = `/apis/extensions.agents.x-k8s.io/v1beta1/namespaces/${NS}/sandboxclaims`;
const SANDBOXES = `/apis/agents.x-k8s.io/v1beta1/namespaces/${NS}/sandboxes`;

const adopted: KubeObject = {
  metadata: {
    name: 'sb',
    namespace: NS,
    resourceVersion: '12',
    ownerReferences: [{ apiVersion: 'v1', kind: 'SandboxClaim', name: 'c1', uid: 'u', controller: true }],
  },
  spec: {},
  status: { conditions: [{ type: 'Ready', status: 'True' }] },
};
/** The same sandbox a moment before: still a pool member. */
const inPool: KubeObject = { ...adopted, metadata: { name: 'sb', namespace: NS, resourceVersion: '9', labels: { [LABEL_WARM_POOL]: 'pool' } } };
const created: KubeObject = { metadata: { name: 'c1', namespace: NS, resourceVersion: '7' } };
const bound: KubeObject = { metadata: { name: 'c1', namespace: NS, resourceVersion: '10' }, status: { sandbox: { name: 'sb' } } };

let sandboxNow = adopted;
const requests: string[] = [];
const server = http.createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://x');
  const watch = url.searchParams.has('watch');
  requests.push(watch ? `WATCH ${url.pathname} from ${url.searchParams.get('resourceVersion')}` : `GET ${url.pathname}`);
  const json = (body: unknown) => void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  if (watch) {
    res.writeHead(200, { 'content-type': 'application/json' });
    // One event, then held open: the binding of the claim, or the sandbox's adoption.
    res.write(`${JSON.stringify({ type: 'MODIFIED', object: url.pathname === CLAIMS ? bound : adopted })}\n`);
    return;
  }
  if (url.pathname === CLAIMS) return json({ kind: 'List', metadata: { resourceVersion: '10' }, items: [bound] });
  if (url.pathname === SANDBOXES) return json({ kind: 'List', metadata: { resourceVersion: '12' }, items: [adopted] });
  if (url.pathname === `${SANDBOXES}/sb`) return json(sandboxNow);
  res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ kind: 'Status', code: 404, reason: 'NotFound' }));
});
const api = serveInSuite(server);

describe('SandboxOperations.waitClaimReady', () => {
  const ops = () => new SandboxOperations(loopbackClient(`http://127.0.0.1:${api.port}`), { core: 'v1beta1', extensions: 'v1beta1' }, silentLogger);
  const run = async (o: { created?: KubeObject; sandbox: KubeObject }) => {
    sandboxNow = o.sandbox;
    requests.length = 0;
    const sb = await ops().waitClaimReady(NS, 'c1', { timeoutMs: 5000, created: o.created });
    assert.equal(sb.metadata.resourceVersion, '12', 'the adopted, ready sandbox');
    return [...requests];
  };

  it('given the created claim: one watch from its version, then one read of the ready sandbox', async () => {
    assert.deepEqual(await run({ created, sandbox: adopted }), [`WATCH ${CLAIMS} from 7`, `GET ${SANDBOXES}/sb`]);
  });

  it('without it: the claim is listed and watched, the ready sandbox read once', async () => {
    const seen = await run({ sandbox: adopted });
    assert.deepEqual(seen.slice(0, 1), [`GET ${CLAIMS}`]);
    assert.deepEqual(
      seen.filter((r) => r.includes('/sandboxes')),
      [`GET ${SANDBOXES}/sb`],
    );
  });

  it('a sandbox not adopted yet is watched from the version the read saw, without a list', async () => {
    const seen = await run({ created, sandbox: inPool });
    assert.deepEqual(
      seen.filter((r) => r.includes('/sandboxes')),
      [`GET ${SANDBOXES}/sb`, `WATCH ${SANDBOXES} from 9`],
    );
  });
});
