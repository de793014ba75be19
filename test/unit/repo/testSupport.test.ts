// The shared test helpers (test/support/): the integration and e2e layers lean on them, and those
// layers only run with a cluster, so their behaviour is pinned here.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { clusterEnv } from '../../support/cluster';
import { until, waitFor, within } from '../../support/wait';

/** A minimal onDidChange source that counts its live listeners. */
function emitter() {
  const listeners = new Set<() => void>();
  return {
    listeners,
    fire: () => [...listeners].forEach((l) => l()),
    onDidChange(l: () => void) {
      listeners.add(l);
      return { dispose: () => listeners.delete(l) };
    },
  };
}

describe('test support: waiting', () => {
  it('waitFor returns the first truthy value, retrying through errors', async () => {
    let n = 0;
    const got = await waitFor(
      () => {
        n += 1;
        if (n === 1) throw new Error('not yet');
        return n >= 3 ? `n=${n}` : undefined;
      },
      { interval: 1 },
    );
    assert.equal(got, 'n=3');
  });

  it('waitFor times out naming what it waited for and the last error', async () => {
    await assert.rejects(
      waitFor(
        () => {
          throw new Error('still refused');
        },
        { timeout: 30, interval: 5, message: () => 'the door' },
      ),
      /timed out after 30 ms waiting for the door \(last error: still refused\)/,
    );
  });

  it('within passes a settled value through and rejects a late one', async () => {
    assert.equal(await within(Promise.resolve(7), 1000, 'seven'), 7);
    await assert.rejects(within(new Promise(() => undefined), 20, 'never'), /timed out after 20 ms waiting for never/);
  });

  it('until resolves on the change that makes the check pass, and lets go of the listener', async () => {
    const source = emitter();
    let value = 0;
    const done = until(source, 'value 2', () => value === 2, 1000);
    value = 1;
    source.fire();
    value = 2;
    source.fire();
    await done;
    assert.equal(source.listeners.size, 0);
  });

  it('until resolves at once when the check already passes, and takes a wake-up hook', async () => {
    const source = emitter();
    await until(source, 'true', () => true, 1000);
    assert.equal(source.listeners.size, 0);
    let wake = () => undefined as void;
    let ready = false;
    const done = until(
      (w) => (wake = w),
      'ready',
      () => ready,
      1000,
    );
    ready = true;
    wake();
    await done;
  });

  it('until times out with what it waited for, shown as of the timeout', async () => {
    const source = emitter();
    let seen = 'nothing';
    const done = until(
      source,
      () => `the line (saw ${seen})`,
      () => false,
      20,
    );
    seen = 'one line';
    await assert.rejects(done, /timed out after 0.02 s waiting for the line \(saw one line\)/);
    assert.equal(source.listeners.size, 0);
  });
});

describe('test support: the cluster env file', () => {
  it('reads KEY=VALUE lines (export and quotes allowed) and insists on KUBECONFIG', () => {
    const dir = mkdtempSync(join(tmpdir(), 'as-support-'));
    try {
      const file = join(dir, 'env');
      writeFileSync(file, 'KUBECONFIG=/run/kubeconfig\nexport KUBECTL="/bin/kubectl"\n# comment\nDEMO_NAMESPACE=\'demo\'\n');
      assert.deepEqual(clusterEnv(file), { KUBECONFIG: '/run/kubeconfig', KUBECTL: '/bin/kubectl', DEMO_NAMESPACE: 'demo' });
      writeFileSync(file, 'KUBECTL=/bin/kubectl\n');
      assert.throws(() => clusterEnv(file), /has no KUBECONFIG=/);
      assert.throws(() => clusterEnv(join(dir, 'missing')), /the local cluster is not up/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
