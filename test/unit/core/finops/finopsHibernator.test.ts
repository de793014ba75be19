// The IdleHibernator against fake cluster operations: the suspend patch carries the UID and
// resourceVersion of the sandbox it just read (so it never hits one replaced or changed since),
// a sandbox recreated under the same name is never hibernated for the old one's idleness, and the
// merge patch itself holds the precondition the API server checks.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ActivityRef, ActivityTracker } from '../../../../src/core/finops/activity';
import { HibernatorUi, IdleHibernator } from '../../../../src/core/finops/idleHibernator';
import type { KubeClient } from '../../../../src/core/k8s/client';
import { KubeError } from '../../../../src/core/k8s/errors';
import { SandboxOperations } from '../../../../src/core/k8s/operations';
import { silentLogger } from '../../../../src/core/logging/logger';
import type { KubeObject } from '../../../../src/core/model/objects';
import { FakeClock, pass } from '../../support/finopsFakes';

const MIN = 60_000;
const A: ActivityRef = { context: 'kind-a', namespace: 'demo', sandbox: 'alpha' };

function running(uid: string, resourceVersion: string): KubeObject {
  return {
    metadata: { name: 'alpha', namespace: 'demo', uid, resourceVersion },
    spec: { operatingMode: 'Running' },
    status: { conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: '2026-01-01T00:00:00Z' }] },
  };
}

function setup(opts: { server: KubeObject; uidInModel?: () => string | undefined; patch?: () => Promise<KubeObject> }) {
  const clock = new FakeClock();
  const activity = new ActivityTracker({ clock, ...(opts.uidInModel ? { uidOf: opts.uidInModel } : {}) });
  const patches: unknown[][] = [];
  const ui = { warned: 0, hibernated: 0, failed: [] as unknown[] };
  const hui: HibernatorUi = {
    warn: () => void ui.warned++,
    withdraw: () => undefined,
    hibernated: () => void ui.hibernated++,
    failed: (_r, err) => void ui.failed.push(err),
  };
  const hibernator = new IdleHibernator(
    {
      context: 'kind-a',
      ops: {
        find: async () => opts.server,
        setSuspended: async (...a: unknown[]) => (patches.push(a), opts.patch ? opts.patch() : opts.server),
        waitHibernated: async () => opts.server,
      },
      activity,
      clock,
      ui: hui,
      log: silentLogger,
      hibernateTimeoutMs: () => 60_000,
    },
    { enabled: true, idleMs: 30 * MIN, warnMs: MIN },
  );
  return { clock, activity, patches, ui, hibernator };
}

describe('idle hibernator against the cluster operations', () => {
  it('sends the suspend patch with the UID and resourceVersion of the sandbox it just read', async () => {
    const { clock, activity, patches, ui, hibernator } = setup({ server: running('uid-1', '42'), uidInModel: () => 'uid-1' });
    activity.touch(A, 'terminal-input');
    await pass(clock, 32 * MIN);
    assert.equal(ui.warned, 1);
    assert.deepEqual(patches, [['demo', 'alpha', true, { uid: 'uid-1', resourceVersion: '42' }]]);
    assert.equal(ui.hibernated, 1);
    assert.ok(hibernator.isAutoHibernated(A));
    hibernator.dispose();
  });

  it('a sandbox deleted and recreated under the same name is not hibernated for the old one’s idleness', async () => {
    let modelUid: string | undefined = 'uid-1';
    const { clock, activity, patches, ui, hibernator } = setup({ server: running('uid-2', '7'), uidInModel: () => modelUid });
    activity.touch(A, 'terminal-input');
    modelUid = undefined; // the live model is paused (view hidden): only the read before warning can tell
    await pass(clock, 40 * MIN);
    assert.equal(ui.warned, 0, 'no warning about a sandbox this window never used');
    assert.deepEqual(patches, []);
    assert.equal(activity.usedByThisWindow(A), false, 'the old record is forgotten');
    hibernator.dispose();
  });

  it('a sandbox changed on the server between the read and the patch (409) stays running, and the user is told', async () => {
    const { clock, activity, patches, ui, hibernator } = setup({
      server: running('uid-1', '42'),
      patch: () => Promise.reject(new KubeError('Operation cannot be fulfilled: the object has been modified', 409, 'Conflict')),
    });
    activity.touch(A, 'terminal-input');
    await pass(clock, 32 * MIN);
    assert.equal(patches.length, 1, 'one patch, no blind retry');
    assert.equal(ui.hibernated, 0);
    assert.equal(ui.failed.length, 1);
    assert.match(String((ui.failed[0] as Error).message), /changed|modified/i);
    assert.ok(!hibernator.isAutoHibernated(A));
    hibernator.dispose();
  });
});

describe('suspend patch precondition', () => {
  function opsWith(reply: (body: unknown) => Promise<unknown>) {
    const requests: { method: string; path: string; body: unknown; contentType?: string | undefined }[] = [];
    const client = {
      request: async (method: string, path: string, o: { body?: unknown; contentType?: string }) => {
        requests.push({ method, path, body: o.body, contentType: o.contentType });
        return reply(o.body);
      },
      get: async () => running('uid-1', '43'),
    } as unknown as KubeClient;
    return { ops: new SandboxOperations(client, { core: 'v1beta1', extensions: 'v1beta1' }, silentLogger), requests };
  }

  it('is part of the merge patch (metadata.uid and metadata.resourceVersion, which the API server checks)', async () => {
    const { ops, requests } = opsWith(async () => running('uid-1', '43'));
    await ops.setSuspended('demo', 'alpha', true, { uid: 'uid-1', resourceVersion: '42' });
    assert.equal(requests.length, 1);
    assert.equal(requests[0].method, 'PATCH');
    assert.equal(requests[0].contentType, 'application/merge-patch+json');
    assert.deepEqual(requests[0].body, { spec: { operatingMode: 'Suspended' }, metadata: { uid: 'uid-1', resourceVersion: '42' } });
  });

  it('a conflict is not retried with the same stale precondition; without one the patch is retried once as before', async () => {
    const conflict = () => Promise.reject(new KubeError('the object has been modified', 409, 'Conflict'));
    const guarded = opsWith(conflict);
    await assert.rejects(
      guarded.ops.setSuspended('demo', 'alpha', true, { uid: 'uid-1', resourceVersion: '42' }),
      (err: unknown) => err instanceof KubeError && err.isConflict,
    );
    assert.equal(guarded.requests.length, 1);
    const plain = opsWith(conflict);
    await assert.rejects(plain.ops.setSuspended('demo', 'alpha', false));
    assert.equal(plain.requests.length, 2);
  });
});
