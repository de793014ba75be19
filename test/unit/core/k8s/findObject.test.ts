// "Read it, or undefined when it is not there": SandboxOperations.find and unlessNotFound, the one
// place a 404 turns into undefined, with every other failure still thrown.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeClient } from '../../../../src/core/k8s/client';
import { KubeError, unlessNotFound } from '../../../../src/core/k8s/errors';
import { SandboxOperations } from '../../../../src/core/k8s/operations';
import { silentLogger } from '../../../../src/core/logging/logger';
import type { KubeObject } from '../../../../src/core/model/objects';

const SB: KubeObject = { metadata: { name: 'sb', namespace: 'demo' } };

function opsAnswering(answer: () => Promise<unknown>) {
  const reads: string[] = [];
  const client = { get: async (path: string) => (reads.push(path), answer()) } as unknown as KubeClient;
  return { ops: new SandboxOperations(client, { core: 'v1beta1', extensions: 'v1beta1' }, silentLogger), reads };
}

describe('unlessNotFound', () => {
  it('passes a value through', async () => assert.equal(await unlessNotFound(Promise.resolve(7)), 7));
  it('turns a 404 into undefined', async () => assert.equal(await unlessNotFound(Promise.reject(new KubeError('gone', 404, 'NotFound'))), undefined));
  it('rethrows any other KubeError, and errors that are not KubeErrors', async () => {
    const forbidden = new KubeError('no', 403, 'Forbidden');
    await assert.rejects(unlessNotFound(Promise.reject(forbidden)), (e) => e === forbidden);
    const plain = new Error('socket hang up');
    await assert.rejects(unlessNotFound(Promise.reject(plain)), (e) => e === plain);
  });
});

describe('SandboxOperations.find', () => {
  it('reads the object at its API path', async () => {
    const { ops, reads } = opsAnswering(async () => SB);
    assert.deepEqual(await ops.find('Sandbox', 'demo', 'sb'), SB);
    assert.deepEqual(reads, ['/apis/agents.x-k8s.io/v1beta1/namespaces/demo/sandboxes/sb']);
  });
  it('is undefined when the object does not exist (404)', async () => {
    const { ops } = opsAnswering(() => Promise.reject(new KubeError('read Sandbox demo/sb: not found', 404, 'NotFound')));
    assert.equal(await ops.find('Sandbox', 'demo', 'sb'), undefined);
  });
  it('rethrows other failures (403, 500, network)', async () => {
    for (const err of [
      new KubeError('forbidden', 403, 'Forbidden'),
      new KubeError('boom', 500),
      new KubeError('Cannot reach', undefined, 'ECONNREFUSED', 'network'),
    ]) {
      const { ops } = opsAnswering(() => Promise.reject(err));
      await assert.rejects(ops.find('Sandbox', 'demo', 'sb'), (e) => e === err);
    }
  });
});
