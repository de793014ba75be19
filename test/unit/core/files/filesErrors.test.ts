import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { errorFromExecResult, errorFromExit, errorFromOpen, EXIT, formatBytes, SandboxFileError } from '../../../../src/core/files/errors';
import { PodLocator } from '../../../../src/core/files/locator';
import { KeyedLimiter } from '../../../../src/core/files/queue';
import { exitCodeOf } from '../../../../src/core/files/sandboxFs';
import { KubeError } from '../../../../src/core/k8s/errors';
import type { KubeClient } from '../../../../src/core/k8s/client';
import type { KubeObject } from '../../../../src/core/model/objects';
import { sandboxObject, TARGET } from '../../support/filesLocalExec';

describe('file error mapping', () => {
  it('maps each script exit code to the matching typed error', () => {
    const cases: [number, string][] = [
      [EXIT.notFound, 'FileNotFound'],
      [EXIT.exists, 'FileExists'],
      [EXIT.noPermission, 'NoPermissions'],
      [EXIT.notADirectory, 'FileNotADirectory'],
      [EXIT.isADirectory, 'FileIsADirectory'],
      [EXIT.tooLarge, 'TooLarge'],
      [EXIT.notEmpty, 'NotEmpty'],
      [EXIT.notRegular, 'NotRegular'],
      [EXIT.truncated, 'Unavailable'],
      [EXIT.modified, 'Modified'],
      [127, 'Unavailable'],
      [99, 'Unknown'],
    ];
    for (const [code, expected] of cases) assert.equal(errorFromExit(code, '/x', '').code, expected, `exit ${code}`);
  });

  it('names the size of a file that is too large, and what a special file is', () => {
    const e = errorFromExit(EXIT.tooLarge, '/data/big.bin', '', '73400320');
    assert.equal(e.size, 73400320);
    assert.match(e.message, /\/data\/big\.bin is 70\.0 MB/);
    assert.match(errorFromExit(EXIT.notRegular, '/run/x.sock', '', 'a socket').message, /a socket/);
  });

  it('keeps the last stderr lines of an unforeseen failure', () => {
    const e = errorFromExit(EXIT.noPermission, '/etc/x', 'mv: cannot move: Read-only file system\n');
    assert.match(e.message, /Read-only file system/);
  });

  it('maps lost connections, missing sh, and refused upgrades', () => {
    assert.equal(errorFromExecResult({ kind: 'lost', message: 'socket hang up' }, '/x', 'sandbox s').code, 'Unavailable');
    assert.match(errorFromExecResult({ kind: 'failed', message: 'exec: "sh": executable file not found in $PATH' }, '/x', 'sandbox s').message, /no \/bin\/sh/);
    assert.equal(errorFromOpen(new KubeError('forbidden', 403, 'Forbidden'), '/x').code, 'NoPermissions');
    assert.equal(errorFromOpen(new KubeError('gone', 404, 'NotFound'), '/x').code, 'Unavailable');
    assert.equal(errorFromOpen(new Error('boom'), '/x').code, 'Unavailable');
  });

  it('reads exit codes that a server reports as a failure message', () => {
    assert.equal(exitCodeOf({ kind: 'exited', code: 17 }), 17);
    assert.equal(exitCodeOf({ kind: 'failed', message: 'command terminated with non-zero exit code: exit status 2' }), 2);
    assert.equal(exitCodeOf({ kind: 'failed', message: 'container not running' }), undefined);
    assert.equal(exitCodeOf({ kind: 'lost', message: 'x' }), undefined);
  });

  it('formats sizes', () => {
    assert.equal(formatBytes(12), '12 bytes');
    assert.equal(formatBytes(50 * 1024 * 1024), '50.0 MB');
    assert.equal(formatBytes(1536), '1.5 KB');
  });
});

describe('per-container exec limiter', () => {
  it('caps parallel tasks per key, runs other keys independently, and frees slots on failure', async () => {
    const limiter = new KeyedLimiter(3);
    let running = 0;
    let peak = 0;
    const task =
      (fail = false) =>
      async () => {
        running++;
        peak = Math.max(peak, running);
        await new Promise((r) => setTimeout(r, 5));
        running--;
        if (fail) throw new Error('x');
        return 1;
      };
    const results = await Promise.allSettled(Array.from({ length: 12 }, (_, i) => limiter.run('a', task(i % 4 === 0))));
    assert.equal(peak, 3);
    assert.equal(results.filter((r) => r.status === 'rejected').length, 3);
    assert.equal(limiter.active('a'), 0);
    let otherRan = false;
    const blockers = Array.from({ length: 3 }, () => limiter.run('a', () => new Promise((r) => setTimeout(r, 30))));
    await limiter.run('b', async () => (otherRan = true));
    assert.equal(otherRan, true, 'key b did not wait for key a');
    await Promise.all(blockers);
  });

  it('never goes over its cap when a new caller arrives just as a slot frees (the slot goes to the waiter)', async () => {
    const limiter = new KeyedLimiter(2);
    let running = 0;
    let peak = 0;
    let peakActive = 0;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const track = () => {
      running++;
      peak = Math.max(peak, running);
      peakActive = Math.max(peakActive, limiter.active('a'));
    };
    const task = () => async () => {
      track();
      await new Promise((r) => setImmediate(r));
      running--;
    };
    // Two hold the slots until `held` settles, four wait; four more callers arrive in the very
    // microtask turn in which the two slots are released (they react to the same promise).
    const held = gate.then(() => void (running -= 2));
    const first = [0, 1].map(() => limiter.run('a', () => (track(), held)));
    const waiting = Array.from({ length: 4 }, () => limiter.run('a', task()));
    const late = Array.from({ length: 4 }, () => held.then(() => limiter.run('a', task())));
    release();
    await Promise.all([...first, ...waiting, ...late]);
    assert.equal(peak, 2, 'tasks running at once');
    assert.equal(peakActive, 2, 'active() as seen by the tasks');
    assert.equal(limiter.active('a'), 0);
  });
});

describe('pod locator', () => {
  const client = {} as KubeClient;
  it('resolves a running sandbox to its pod and caches the answer briefly', async () => {
    let lookups = 0;
    let now = 0;
    const loc = new PodLocator({ client: async () => client, sandbox: async () => (lookups++, sandboxObject()) }, 5000, () => now);
    const pod = await loc.locate(TARGET);
    assert.deepEqual([pod.pod, pod.container, pod.namespace], ['sb', 'main', 'ns']);
    await loc.locate(TARGET);
    assert.equal(lookups, 1);
    now = 6000;
    await loc.locate(TARGET);
    assert.equal(lookups, 2);
    loc.invalidate(TARGET);
    await loc.locate(TARGET);
    assert.equal(lookups, 3);
  });

  it('explains hibernated, missing and container-less cases', async () => {
    const with_ = (sb: KubeObject | undefined) => new PodLocator({ client: async () => client, sandbox: async () => sb }, 0);
    await assert.rejects(
      with_(sandboxObject('Hibernated')).locate(TARGET),
      (e: SandboxFileError) => e.code === 'Unavailable' && e.hibernated && /resume/.test(e.message),
    );
    await assert.rejects(with_(undefined).locate(TARGET), (e: SandboxFileError) => e.code === 'Unavailable' && /does not exist/.test(e.message));
    await assert.rejects(with_(sandboxObject()).locate({ ...TARGET, container: 'sidecar' }), (e: SandboxFileError) => /no container "sidecar"/.test(e.message));
  });
});

describe('auto-hibernate settings and Workspace Trust', () => {
  it('are restricted configurations, so an untrusted workspace cannot enable or shorten them', async () => {
    const pkg = JSON.parse((await import('node:fs')).readFileSync('package.json', 'utf8'));
    const restricted: string[] = pkg.capabilities.untrustedWorkspaces.restrictedConfigurations;
    for (const key of ['agentSandbox.autoHibernate.enabled', 'agentSandbox.autoHibernate.idleMinutes']) assert.ok(restricted.includes(key), key);
  });
});
