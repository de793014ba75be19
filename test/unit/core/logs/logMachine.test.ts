import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  compareTimestamps,
  initialLogState,
  LogEffect,
  LogEvent,
  LogOptions,
  LogState,
  MachineConfig,
  PodInfo,
  reduceLog,
} from '../../../../src/core/logs/logMachine';

const cfg: MachineConfig = { minBackoffMs: 1000, maxBackoffMs: 30_000, random: () => 0.5, minHealthyMs: 2000 };
const opts: LogOptions = { follow: true, timestamps: false, tailLines: 100, container: 'agent' };
const pod = (uid: string, extra: Partial<PodInfo> = {}): PodInfo => ({ name: 'sb-1', uid, loggable: true, restarts: 0, deleting: false, ...extra });

/** Feeds events in order; returns the final state and every effect, for table-style assertions. */
function run(events: LogEvent[], state: LogState = initialLogState(opts)) {
  const effects: LogEffect[] = [];
  for (const e of events) {
    const r = reduceLog(state, e, cfg);
    state = r.state;
    effects.push(...r.effects);
  }
  return { state, effects };
}

const opens = (effects: LogEffect[]) => effects.filter((e): e is Extract<LogEffect, { type: 'open' }> => e.type === 'open');
const markers = (effects: LogEffect[]) => effects.filter((e): e is Extract<LogEffect, { type: 'marker' }> => e.type === 'marker').map((m) => m.text);

describe('log stream machine', () => {
  it("waits for a pod, then opens with the user's tail", () => {
    const { state, effects } = run([{ type: 'start' }, { type: 'pod', pod: pod('u1') }]);
    assert.equal(state.phase.kind, 'connecting');
    assert.deepEqual(opens(effects), [
      { type: 'open', pod: 'sb-1', uid: 'u1', container: 'agent', query: { follow: true, timestamps: true, tailLines: 100 }, skipThrough: undefined },
    ]);
  });

  it('does not open while the container is still starting', () => {
    const { state, effects } = run([{ type: 'pod', pod: pod('u1', { loggable: false }) }, { type: 'start' }]);
    assert.equal(state.phase.kind, 'waiting');
    assert.equal(opens(effects).length, 0);
    const r = run([{ type: 'pod', pod: pod('u1') }], state);
    assert.equal(opens(r.effects).length, 1);
  });

  it('resumes after a dropped connection from the last line, without repeating it', () => {
    const { state, effects } = run([
      { type: 'pod', pod: pod('u1') },
      { type: 'start' },
      { type: 'opened', at: 0 },
      { type: 'line', timestamp: '2026-08-22T10:00:01.5Z' },
      { type: 'line', timestamp: '2026-08-22T10:00:02.25Z' },
      { type: 'ended', at: 500, error: { message: 'socket hang up', retryable: true } },
    ]);
    assert.equal(state.phase.kind, 'backoff');
    assert.ok(effects.some((e) => e.type === 'schedule' && e.ms === 1000));
    assert.match(markers(effects)[0], /Connection lost \(socket hang up\)\. Reconnecting in 1\.0 s/);
    const r = run([{ type: 'timer' }], state);
    const [open] = opens(r.effects);
    assert.deepEqual(open.query, { follow: true, timestamps: true, sinceTime: '2026-08-22T10:00:02.25Z' });
    assert.equal(open.skipThrough, '2026-08-22T10:00:02.25Z');
  });

  it('shows a repeated failure once; the status line carries the retries', () => {
    let { state } = run([{ type: 'pod', pod: pod('u1') }, { type: 'start' }]);
    const shown: string[] = [];
    for (const message of ['unsupported log format', 'unsupported log format', 'unsupported log format', 'connection reset']) {
      const r = run([{ type: 'ended', at: 0, error: { message, retryable: true } }, { type: 'timer' }], state);
      shown.push(...markers(r.effects));
      state = r.state;
    }
    assert.equal(shown.length, 2, shown.join('\n'));
    assert.match(shown[1], /connection reset/);
    const ok = run(
      [
        { type: 'opened', at: 0 },
        { type: 'ended', at: 0, error: { message: 'connection reset', retryable: true } },
      ],
      state,
    );
    assert.equal(markers(ok.effects).length, 1, 'after a successful connection the same failure is news again');
  });

  it('backs off longer on repeated failures and resets after a healthy stream', () => {
    let { state } = run([{ type: 'pod', pod: pod('u1') }, { type: 'start' }]);
    const delays: number[] = [];
    for (let i = 0; i < 3; i++) {
      const r = run([{ type: 'ended', at: 0, error: { message: 'x', retryable: true } }], state);
      delays.push((r.effects.find((e) => e.type === 'schedule') as { ms: number }).ms);
      state = run([{ type: 'timer' }], r.state).state;
    }
    assert.deepEqual(delays, [1000, 1500, 2500]);
    const healthy = run(
      [
        { type: 'opened', at: 0 },
        { type: 'ended', at: 10_000 },
      ],
      state,
    );
    assert.equal(healthy.state.phase.kind, 'connecting', 'a clean end after a while reconnects at once');
    assert.equal(healthy.state.attempt, 0);
  });

  it('marks a hibernate, waits, and reads the resumed pod from its beginning', () => {
    let { state } = run([{ type: 'pod', pod: pod('u1') }, { type: 'start' }, { type: 'opened', at: 0 }, { type: 'line', timestamp: '2026-08-22T10:00:00Z' }]);
    let r = run(
      [
        { type: 'sandbox', phase: 'hibernating' },
        { type: 'pod', pod: undefined },
      ],
      state,
    );
    assert.deepEqual(
      r.effects.map((e) => e.type),
      ['close', 'marker'],
    );
    assert.match(markers(r.effects)[0], /Sandbox hibernated: pod sb-1 stopped/);
    assert.equal(r.state.phase.kind, 'waiting');
    assert.match((r.state.phase as { reason: string }).reason, /hibernated/);
    state = run(
      [
        { type: 'sandbox', phase: 'hibernated' },
        { type: 'sandbox', phase: 'active' },
      ],
      r.state,
    ).state;
    r = run([{ type: 'pod', pod: pod('u2', { loggable: false }) }], state);
    assert.equal(opens(r.effects).length, 0, 'not before the new container runs');
    r = run([{ type: 'pod', pod: pod('u2') }], r.state);
    assert.match(markers(r.effects)[0], /New pod sb-1 \(u2\): the sandbox resumed/);
    const [open] = opens(r.effects);
    assert.equal(open.uid, 'u2');
    assert.deepEqual(open.query, { follow: true, timestamps: true }, "all of the new pod, not the user's tail and not since the old pod's time");
  });

  it('a pod replaced under an open stream (missed delete) is closed and the new one read', () => {
    const { state } = run([{ type: 'pod', pod: pod('u1') }, { type: 'start' }, { type: 'opened', at: 0 }]);
    const r = run([{ type: 'pod', pod: pod('u2') }], state);
    assert.deepEqual(
      r.effects.map((e) => e.type),
      ['close', 'marker', 'marker', 'open'],
    );
    assert.equal(opens(r.effects)[0].uid, 'u2');
  });

  it('marks a container restart and continues the same pod after the kubelet ends the stream', () => {
    const { state } = run([{ type: 'pod', pod: pod('u1') }, { type: 'start' }, { type: 'opened', at: 0 }, { type: 'line', timestamp: '2026-08-22T10:00:05Z' }]);
    let r = run(
      [
        { type: 'pod', pod: pod('u1', { loggable: false }) },
        { type: 'ended', at: 60_000 },
      ],
      state,
    );
    assert.equal(r.state.phase.kind, 'waiting');
    assert.match(markers(r.effects)[0], /container in pod sb-1 stopped/);
    r = run([{ type: 'pod', pod: pod('u1', { restarts: 1 }) }], r.state);
    assert.match(markers(r.effects)[0], /Container restarted \(restart 1\)/);
    assert.equal(opens(r.effects)[0].query.sinceTime, '2026-08-22T10:00:05Z');
  });

  it('keeps reading a terminating pod until it is gone', () => {
    const { state } = run([{ type: 'pod', pod: pod('u1') }, { type: 'start' }, { type: 'opened', at: 0 }]);
    const r = run([{ type: 'pod', pod: pod('u1', { deleting: true }) }], state);
    assert.deepEqual(r.effects, []);
    assert.equal(r.state.phase.kind, 'streaming');
  });

  it('gives up on errors that retrying cannot fix', () => {
    const { state } = run([
      { type: 'pod', pod: pod('u1') },
      { type: 'start' },
      { type: 'ended', at: 0, error: { message: 'pods/log is forbidden', retryable: false } },
    ]);
    assert.deepEqual(state.phase, { kind: 'failed', message: 'pods/log is forbidden' });
    const again = run([{ type: 'pod', pod: pod('u2') }, { type: 'timer' }], state);
    assert.equal(opens(again.effects).length, 0);
    const manual = run([{ type: 'reconnectNow' }], state);
    assert.equal(opens(manual.effects).length, 1, 'the user can retry by hand');
  });

  it('ends without following when follow is off', () => {
    const { state } = run([
      { type: 'options', options: { ...opts, follow: false } },
      { type: 'pod', pod: pod('u1') },
      { type: 'start' },
      { type: 'opened', at: 0 },
      { type: 'ended', at: 5 },
    ]);
    assert.equal(state.phase.kind, 'ended');
  });

  it('new options clear the screen and re-read with them', () => {
    const { state } = run([{ type: 'pod', pod: pod('u1') }, { type: 'start' }, { type: 'opened', at: 0 }, { type: 'line', timestamp: '2026-08-22T10:00:05Z' }]);
    const r = run([{ type: 'options', options: { ...opts, tailLines: undefined, sinceSeconds: 300 } }], state);
    assert.deepEqual(
      r.effects.map((e) => e.type),
      ['close', 'clear', 'open'],
    );
    assert.deepEqual(opens(r.effects)[0].query, { follow: true, timestamps: true, sinceSeconds: 300 });
  });

  it('stops for good: no effects after stop', () => {
    const { state } = run([
      { type: 'pod', pod: pod('u1') },
      { type: 'start' },
      { type: 'ended', at: 0, error: { message: 'x', retryable: true } },
      { type: 'stop' },
    ]);
    assert.equal(state.phase.kind, 'stopped');
    assert.deepEqual(run([{ type: 'timer' }, { type: 'pod', pod: pod('u9') }, { type: 'reconnectNow' }], state).effects, []);
  });

  it('sandbox deleted ends the stream', () => {
    const { state } = run([{ type: 'pod', pod: pod('u1') }, { type: 'start' }, { type: 'opened', at: 0 }]);
    const r = run([{ type: 'sandbox', phase: 'gone' }], state);
    assert.equal(r.state.phase.kind, 'ended');
    assert.deepEqual(
      r.effects.map((e) => e.type),
      ['close', 'marker'],
    );
  });
});

describe('compareTimestamps', () => {
  it('orders RFC3339Nano instants, not strings', () => {
    assert.ok(compareTimestamps('2026-08-22T10:00:00Z', '2026-08-22T10:00:00.5Z') < 0, '"00Z" > "00.5Z" as strings');
    assert.ok(compareTimestamps('2026-08-22T10:00:00.1Z', '2026-08-22T10:00:00.05Z') > 0);
    assert.equal(compareTimestamps('2026-08-22T10:00:00.100Z', '2026-08-22T10:00:00.1Z'), 0);
    assert.ok(compareTimestamps('2026-08-22T10:00:01Z', '2026-08-22T10:00:00.999999999Z') > 0);
    assert.equal(compareTimestamps('2026-08-22T12:00:00+02:00', '2026-08-22T10:00:00Z'), 0);
  });
});
