import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatLine, LogLineSplitter, splitTimestamp } from '../../../../src/core/logs/logLines';
import { isRetryable, logPath, podInfo, sandboxPhase } from '../../../../src/core/logs/logFollower';
import { KubeError } from '../../../../src/core/k8s/errors';

describe('log lines', () => {
  it('splits chunks at any point into lines with timestamps', () => {
    const s = new LogLineSplitter();
    assert.deepEqual(s.push('2026-08-22T10:00:00.1Z hel'), []);
    assert.deepEqual(s.push('lo\n2026-08-22T10:00:00.2Z \x1b[31mred\x1b[0m\r\n2026'), [
      { timestamp: '2026-08-22T10:00:00.1Z', text: 'hello' },
      { timestamp: '2026-08-22T10:00:00.2Z', text: '\x1b[31mred\x1b[0m' },
    ]);
    assert.deepEqual(s.flush(), [{ text: '2026' }]);
  });

  it('drops what a resumed stream repeats, up to and including the last line shown', () => {
    const s = new LogLineSplitter('2026-08-22T10:00:01.5Z');
    const lines = s.push('2026-08-22T10:00:01Z a\n2026-08-22T10:00:01.5Z b\n2026-08-22T10:00:01.6Z c\n');
    assert.deepEqual(
      lines.map((l) => l.text),
      ['c'],
    );
  });

  it('keeps lines without a timestamp and formats with or without it', () => {
    assert.deepEqual(splitTimestamp('plain'), { text: 'plain' });
    assert.equal(formatLine({ timestamp: '2026-08-22T10:00:00Z', text: 'x' }, false), 'x\n');
    assert.equal(formatLine({ timestamp: '2026-08-22T10:00:00Z', text: 'x' }, true), '\x1b[2m2026-08-22T10:00:00Z\x1b[22m x\n');
  });
});

describe('log follower helpers', () => {
  it('builds the pods/log query', () => {
    assert.equal(
      logPath('demo', 'sb-1', 'agent', { follow: true, timestamps: true, sinceTime: '2026-08-22T10:00:00.5Z' }),
      '/api/v1/namespaces/demo/pods/sb-1/log?container=agent&follow=true&timestamps=true&sinceTime=2026-08-22T10%3A00%3A00.5Z',
    );
    assert.match(
      logPath('demo', 'sb-1', undefined, { follow: false, timestamps: true, tailLines: 10, sinceSeconds: 60 }),
      /follow=false&timestamps=true&tailLines=10&sinceSeconds=60$/,
    );
  });

  it("reads the pod's state from its container status", () => {
    const pod = (state: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
      podInfo(
        { metadata: { name: 'p', uid: 'u', ...extra }, status: { phase: 'Running', containerStatuses: [{ name: 'agent', restartCount: 2, state }] } },
        'agent',
      );
    assert.deepEqual(pod({ running: {} }), { name: 'p', uid: 'u', loggable: true, restarts: 2, deleting: false });
    assert.equal(pod({ waiting: { reason: 'ContainerCreating' } })?.loggable, false);
    assert.equal(pod({ terminated: {} })?.loggable, true);
    assert.equal(pod({ running: {} }, { deletionTimestamp: '2026-08-22T10:00:00Z' })?.deleting, true);
    assert.equal(podInfo(undefined, 'agent'), undefined);
    assert.equal(podInfo({ metadata: { name: 'p', uid: 'u' }, status: { phase: 'Pending' } }, undefined)?.loggable, false);
  });

  it('classifies sandboxes and errors', () => {
    assert.equal(sandboxPhase(undefined), 'gone');
    assert.equal(
      sandboxPhase({ metadata: { name: 's' }, spec: { operatingMode: 'Suspended' }, status: { conditions: [{ type: 'Suspended', status: 'True' }] } }),
      'hibernated',
    );
    assert.equal(
      sandboxPhase({
        metadata: { name: 's' },
        spec: { operatingMode: 'Suspended' },
        status: { conditions: [{ type: 'Suspended', status: 'False', reason: 'PodTerminating' }] },
      }),
      'hibernating',
    );
    assert.equal(sandboxPhase({ metadata: { name: 's' }, spec: { operatingMode: 'Running' } }), 'active');
    assert.equal(isRetryable(new KubeError('forbidden', 403)), false);
    assert.equal(isRetryable(new KubeError('container "x" is not valid for pod', 400)), false);
    assert.equal(isRetryable(new KubeError('container is waiting to start', 400)), true);
    assert.equal(isRetryable(new KubeError('reset', undefined, 'ECONNRESET', 'network')), true);
  });
});
