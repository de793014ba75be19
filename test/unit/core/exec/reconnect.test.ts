// The reattach decision as a table: (state, event) → (state, effect), and the jittered backoff
// held between its bounds by an injected random.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Verdict } from '../../../../src/core/exec/codes';
import {
  initialReconnect,
  ReconnectConfig,
  reconnectConfig,
  reconnectDelay,
  ReconnectEffect,
  ReconnectEvent,
  ReconnectPhase,
  ReconnectState,
  reduceReconnect,
} from '../../../../src/core/exec/reconnect';

const cfg: ReconnectConfig = { minDelayMs: 1000, maxDelayMs: 10_000, maxAttempts: 5, healthyMs: 10_000, random: () => 0.5 };
const retry: Verdict = { action: 'retry', cause: 'network', message: 'reset' };
const giveUp: Verdict = { action: 'give-up', cause: 'forbidden', message: 'pods/exec is forbidden' };
const st = (phase: ReconnectPhase, attempt = 0): ReconnectState => ({ phase, attempt });
const lost = (at: number, verdict = retry, resumable = true): ReconnectEvent => ({ type: 'lost', at, verdict, resumable });

describe('reconnect reducer', () => {
  const rows: [what: string, from: ReconnectState, event: ReconnectEvent, to: ReconnectState, effect: ReconnectEffect][] = [
    [
      'connected: remembers since when',
      st({ kind: 'reconnecting' }, 2),
      { type: 'connected', at: 50 },
      st({ kind: 'connected', since: 50 }, 2),
      { kind: 'none' },
    ],
    [
      'a retryable loss waits the minimum first',
      st({ kind: 'connected', since: 0 }),
      lost(100),
      st({ kind: 'backoff', delayMs: 1000 }, 1),
      { kind: 'wait', ms: 1000, attempt: 1, verdict: retry },
    ],
    [
      'a loss soon after a reconnect keeps counting (a flapping link runs out)',
      st({ kind: 'connected', since: 0 }, 3),
      lost(9_999),
      st({ kind: 'backoff', delayMs: 4500 }, 4),
      { kind: 'wait', ms: 4500, attempt: 4, verdict: retry },
    ],
    [
      'a loss after a healthy connection starts a fresh count',
      st({ kind: 'connected', since: 0 }, 4),
      lost(10_000),
      st({ kind: 'backoff', delayMs: 1000 }, 1),
      { kind: 'wait', ms: 1000, attempt: 1, verdict: retry },
    ],
    [
      'a loss that retrying cannot help gives up at once',
      st({ kind: 'connected', since: 0 }),
      lost(100, giveUp),
      st({ kind: 'given-up', verdict: giveUp, exhausted: false }),
      { kind: 'give-up', verdict: giveUp },
    ],
    [
      'a loss with nothing to resume (a plain shell) waits for the user',
      st({ kind: 'connected', since: 0 }),
      lost(100, retry, false),
      st({ kind: 'idle' }),
      { kind: 'wait-for-user', verdict: retry },
    ],
    ['the timer fires: connect', st({ kind: 'backoff', delayMs: 1000 }, 1), { type: 'timer' }, st({ kind: 'reconnecting' }, 1), { kind: 'connect' }],
    ['a stale timer does nothing', st({ kind: 'idle' }), { type: 'timer' }, st({ kind: 'idle' }), { kind: 'none' }],
    [
      'a reconnect that fails retryably backs off further',
      st({ kind: 'reconnecting' }, 2),
      { type: 'connect-failed', verdict: retry },
      st({ kind: 'backoff', delayMs: 2500 }, 3),
      { kind: 'wait', ms: 2500, attempt: 3, verdict: retry },
    ],
    [
      'the last reconnect fails: the attempts are spent, wait for Enter',
      st({ kind: 'reconnecting' }, 5),
      { type: 'connect-failed', verdict: retry },
      st({ kind: 'given-up', verdict: retry, exhausted: true }, 5),
      { kind: 'wait-for-user', verdict: retry },
    ],
    [
      'a reconnect refused for good (403) gives up without spending the rest',
      st({ kind: 'reconnecting' }, 1),
      { type: 'connect-failed', verdict: giveUp },
      st({ kind: 'given-up', verdict: giveUp, exhausted: false }, 1),
      { kind: 'give-up', verdict: giveUp },
    ],
    [
      "a failed first open (or the user's retry) is reported, not retried",
      st({ kind: 'idle' }),
      { type: 'connect-failed', verdict: retry },
      st({ kind: 'idle' }),
      { kind: 'wait-for-user', verdict: retry },
    ],
    [
      'Enter after giving up: a fresh count, connect now',
      st({ kind: 'given-up', verdict: retry, exhausted: true }, 5),
      { type: 'retry' },
      st({ kind: 'idle' }),
      { kind: 'connect' },
    ],
    ['stop while backing off cancels the timer', st({ kind: 'backoff', delayMs: 1000 }, 1), { type: 'stop' }, st({ kind: 'idle' }, 1), { kind: 'cancel' }],
    ['stop while connected: nothing to cancel', st({ kind: 'connected', since: 0 }), { type: 'stop' }, st({ kind: 'idle' }), { kind: 'none' }],
    [
      'dispose while backing off cancels the timer',
      st({ kind: 'backoff', delayMs: 1000 }, 1),
      { type: 'dispose' },
      st({ kind: 'disposed' }, 1),
      { kind: 'cancel' },
    ],
    ['after dispose nothing happens', st({ kind: 'disposed' }), lost(0), st({ kind: 'disposed' }), { kind: 'none' }],
    ['after dispose even Enter does nothing', st({ kind: 'disposed' }), { type: 'retry' }, st({ kind: 'disposed' }), { kind: 'none' }],
  ];
  for (const [what, from, event, to, effect] of rows) {
    it(what, () => {
      assert.deepEqual(reduceReconnect(from, event, cfg), { state: to, effect });
    });
  }

  it("the terminal's step scales the window: a first wait of the step, later ones up to 10×", () => {
    const c = reconnectConfig(1, () => 0.5);
    assert.deepEqual([c.minDelayMs, c.maxDelayMs, c.maxAttempts], [1, 10, 5]);
    assert.deepEqual(reconnectConfig().minDelayMs, 1000);
  });

  it('one loss and then refused reconnects: 5 connects, growing waits, then Enter', () => {
    let s = reduceReconnect(initialReconnect(), { type: 'connected', at: 0 }, cfg).state;
    const waits: number[] = [];
    const connects: number[] = [];
    let r = reduceReconnect(s, lost(10), cfg);
    for (;;) {
      s = r.state;
      if (r.effect.kind !== 'wait') break;
      waits.push(r.effect.ms);
      r = reduceReconnect(s, { type: 'timer' }, cfg);
      assert.equal(r.effect.kind, 'connect');
      connects.push(r.state.attempt);
      r = reduceReconnect(r.state, { type: 'connect-failed', verdict: retry }, cfg);
    }
    assert.deepEqual(waits, [1000, 1500, 2500, 4500, 5500]);
    assert.deepEqual(connects, [1, 2, 3, 4, 5]);
    assert.equal(r.effect.kind, 'wait-for-user');
  });
});

describe('reconnect backoff', () => {
  it('stays between the minimum and min(max, min·2ⁿ) for any random in [0, 1)', () => {
    const bounds = { minDelayMs: 1000, maxDelayMs: 10_000 };
    for (const random of [0, 0.25, 0.5, 0.999999]) {
      for (let attempt = 0; attempt < 12; attempt++) {
        const ms = reconnectDelay(attempt, { ...bounds, random: () => random });
        const cap = Math.min(10_000, 1000 * 2 ** attempt);
        assert.ok(ms >= 1000 && ms <= cap, `attempt ${attempt}, random ${random}: ${ms} not in [1000, ${cap}]`);
      }
    }
  });

  it('is jittered: the random picks the point within the window (full jitter), the window is capped', () => {
    const at = (attempt: number, random: number) => reconnectDelay(attempt, { minDelayMs: 1000, maxDelayMs: 10_000, random: () => random });
    assert.deepEqual([at(3, 0), at(3, 0.5), at(3, 0.999999)], [1000, 4500, 8000]);
    assert.deepEqual([at(9, 0), at(9, 0.999999)], [1000, 10_000]);
  });

  it('a seeded random over many losses never leaves the bounds', () => {
    let seed = 42;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const many = { ...cfg, maxAttempts: 1000, random };
    let s: ReconnectState = st({ kind: 'reconnecting' });
    for (let i = 0; i < 200; i++) {
      const r = reduceReconnect(s, { type: 'connect-failed', verdict: retry }, many);
      assert.equal(r.effect.kind, 'wait');
      if (r.effect.kind === 'wait') assert.ok(r.effect.ms >= 1000 && r.effect.ms <= 10_000, String(r.effect.ms));
      s = reduceReconnect(r.state, { type: 'timer' }, many).state;
    }
  });
});
