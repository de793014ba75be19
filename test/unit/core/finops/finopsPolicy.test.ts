import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ActivityRef, ActivityTracker } from '../../../../src/core/finops/activity';
import { AutoHibernatePolicy, PolicyOptions } from '../../../../src/core/finops/autoHibernatePolicy';
import { EffectCall, FakeClock, flush, pass, RecordingEffects } from '../../support/finopsFakes';

const MIN = 60_000;
const A: ActivityRef = { context: 'kind-a', namespace: 'demo', sandbox: 'alpha' };
const B: ActivityRef = { context: 'kind-a', namespace: 'demo', sandbox: 'beta' };
const OTHER_CONTEXT: ActivityRef = { context: 'kind-b', namespace: 'demo', sandbox: 'alpha' };

function setup(options: Partial<PolicyOptions> = {}) {
  const clock = new FakeClock();
  const tracker = new ActivityTracker({ clock });
  const effects = new RecordingEffects(clock);
  const policy = new AutoHibernatePolicy(
    { used: () => tracker.used('kind-a'), lastActivity: (r) => tracker.lastActivity(r)?.at, busy: (r) => tracker.isHeld(r) },
    effects,
    clock,
    { enabled: true, idleMs: 30 * MIN, warnMs: MIN, ...options },
  );
  tracker.onDidChange(() => policy.evaluate());
  return { clock, tracker, effects, policy };
}

describe('auto-hibernate policy', () => {
  it('warns once when the threshold passes, then hibernates after the warning delay', async () => {
    const { clock, tracker, effects, policy } = setup();
    tracker.touch(A, 'terminal-input');
    await pass(clock, 30 * MIN - 1000);
    assert.equal(effects.of('warn').length, 0, 'no warning before the threshold');
    assert.equal(effects.of('inspect').length, 0, 'no API read before the threshold');
    await pass(clock, 1000);
    assert.equal(effects.of('inspect').length, 1, 'one read to confirm it still runs');
    const [warn] = effects.of('warn');
    assert.ok(warn, 'warned at the threshold');
    assert.equal(warn.idleMs, 30 * MIN);
    assert.equal(warn.inMs, MIN);
    await pass(clock, MIN - 1000);
    assert.equal(effects.of('hibernate').length, 0, 'not before the warning delay');
    await pass(clock, 1000);
    const [hib] = effects.of('hibernate');
    assert.ok(hib, 'hibernated after the warning delay');
    assert.equal(hib.at - warn.at, MIN);
    await flush();
    assert.equal(effects.of('hibernated').length, 1);
    assert.ok(policy.isAutoHibernated(A));
    await pass(clock, 3 * 60 * MIN, 60_000);
    assert.equal(effects.of('warn').length, 1, 'warned exactly once');
    assert.equal(effects.of('hibernate').length, 1, 'hibernated exactly once');
  });

  it('Keep running withdraws the warning and starts the idle time over', async () => {
    const { clock, tracker, effects, policy } = setup();
    tracker.touch(A, 'file-write');
    await pass(clock, 30 * MIN);
    assert.equal(effects.of('warn').length, 1);
    await pass(clock, 20_000);
    policy.keepRunning(A);
    assert.deepEqual(
      effects.of('withdraw').map((w) => w.reason),
      ['keep-running'],
    );
    await pass(clock, 2 * MIN);
    assert.equal(effects.of('hibernate').length, 0, 'kept running past the deadline');
    await pass(clock, 28 * MIN - 1000);
    assert.equal(effects.of('warn').length, 1, 'a full idle period must pass again');
    await pass(clock, 1000);
    assert.equal(effects.of('warn').length, 2, 'warned again after another full idle period');
    assert.ok(!policy.isAutoHibernated(A));
  });

  it('activity during the warning cancels it', async () => {
    const { clock, tracker, effects } = setup();
    tracker.touch(A, 'terminal-input');
    await pass(clock, 30 * MIN);
    assert.equal(effects.of('warn').length, 1);
    await pass(clock, 30_000);
    tracker.touch(A, 'terminal-output');
    assert.deepEqual(
      effects.of('withdraw').map((w) => w.reason),
      ['activity'],
    );
    await pass(clock, 5 * MIN);
    assert.equal(effects.of('hibernate').length, 0);
  });

  it('never touches sandboxes this window did not use, nor those of another context', async () => {
    const { clock, tracker, effects } = setup({ idleMs: MIN });
    tracker.touch(OTHER_CONTEXT, 'terminal-input');
    await pass(clock, 5 * 60 * MIN, 60_000);
    assert.deepEqual(effects.calls, [], 'nothing read, warned or hibernated');
    tracker.touch(B, 'port-forward');
    await pass(clock, 3 * MIN);
    assert.ok(effects.calls.length > 0);
    const calls: EffectCall[] = effects.calls; // re-widened: deepEqual above narrowed it to []
    assert.ok(
      calls.every((c) => c.ref.sandbox === 'beta' && c.ref.context === 'kind-a'),
      JSON.stringify(calls),
    );
  });

  it('a laptop sleep past the threshold warns first instead of hibernating at once', async () => {
    const { clock, tracker, effects } = setup();
    tracker.touch(A, 'terminal-input');
    await pass(clock, 10 * MIN);
    clock.jump(3 * 60 * MIN); // asleep for 3 hours: wall clock moved, timers did not
    await pass(clock, 60_000);
    assert.equal(effects.of('warn').length, 1, 'warned soon after waking');
    assert.equal(effects.of('hibernate').length, 0, 'not hibernated without the warning');
    await pass(clock, MIN);
    assert.equal(effects.of('hibernate').length, 1, 'hibernated one warning delay later');
  });

  it('sleeping through the countdown warns again rather than hibernating on wake', async () => {
    const { clock, tracker, effects } = setup();
    tracker.touch(A, 'terminal-input');
    await pass(clock, 30 * MIN);
    assert.equal(effects.of('warn').length, 1);
    await pass(clock, 10_000);
    clock.jump(2 * 60 * MIN);
    await pass(clock, 50_000); // the deadline timer fires, two hours late by the wall clock
    assert.equal(effects.of('hibernate').length, 0, 'the user never saw the countdown');
    assert.equal(effects.of('warn').length, 2, 'so it is shown again');
    await pass(clock, MIN);
    assert.equal(effects.of('hibernate').length, 1);
  });

  it('a clock set back does not hibernate early and does not stall forever', async () => {
    const { clock, tracker, effects } = setup();
    tracker.touch(A, 'terminal-input');
    await pass(clock, 10 * MIN);
    clock.jump(-60 * MIN);
    await pass(clock, 29 * MIN, 60_000);
    assert.equal(effects.of('warn').length, 0, 'idle time restarted at the jump, not counted from the future');
    await pass(clock, 2 * MIN, 60_000);
    assert.equal(effects.of('warn').length, 1, 'warned one idle period after the jump');
  });

  it('a clock set back during the countdown restarts it in full; activity stamped after the jump still cancels', async () => {
    const { clock, tracker, effects } = setup();
    tracker.touch(A, 'terminal-input');
    await pass(clock, 30 * MIN);
    clock.jump(-10 * MIN);
    await pass(clock, MIN);
    assert.equal(effects.of('hibernate').length, 0, 'not hibernated on a deadline the clock moved');
    assert.equal(effects.of('warn').length, 2, 'the countdown was shown again');
    tracker.touch(A, 'file-read'); // stamped earlier than the first warning, by the new clock
    await pass(clock, 2 * MIN);
    assert.deepEqual(
      effects.of('withdraw').map((w) => w.reason),
      ['activity'],
    );
    assert.equal(effects.of('hibernate').length, 0);
  });

  it('does not warn when the sandbox already stopped, and watches again once it is used', async () => {
    const { clock, tracker, effects, policy } = setup();
    effects.inspection = { running: false };
    tracker.touch(A, 'terminal-input');
    await pass(clock, 31 * MIN, 60_000);
    assert.equal(effects.of('inspect').length, 1);
    assert.equal(effects.of('warn').length, 0);
    assert.equal(policy.phase(A), 'stopped');
    await pass(clock, 60 * MIN, 60_000);
    assert.equal(effects.of('inspect').length, 1, 'no further reads while stopped (no polling)');
    effects.inspection = { running: true };
    tracker.touch(A, 'terminal-input');
    assert.equal(policy.phase(A), 'watching');
    await pass(clock, 30 * MIN, 60_000);
    assert.equal(effects.of('warn').length, 1);
  });

  it('counts idle time from a resume it learns of while checking', async () => {
    const { clock, tracker, effects } = setup();
    tracker.touch(A, 'terminal-input');
    await pass(clock, 29 * MIN, 60_000);
    effects.inspection = { running: true, runningSince: clock.now() + MIN - 4 * MIN }; // Ready 4 min before the threshold
    await pass(clock, MIN, 60_000);
    assert.equal(effects.of('warn').length, 0, 'resumed 4 minutes ago: not idle for 30');
    await pass(clock, 25 * MIN, 60_000);
    assert.equal(effects.of('warn').length, 0);
    await pass(clock, MIN, 60_000);
    assert.equal(effects.of('warn').length, 1, 'warned 30 minutes after the resume');
  });

  it('stops the countdown when the model shows the sandbox stopped, and restarts when it runs again', async () => {
    const { clock, tracker, effects, policy } = setup();
    tracker.touch(A, 'terminal-input');
    await pass(clock, 30 * MIN);
    policy.sandboxChanged(A, false);
    assert.deepEqual(
      effects.of('withdraw').map((w) => w.reason),
      ['not-running'],
    );
    await pass(clock, 5 * MIN);
    assert.equal(effects.of('hibernate').length, 0);
    policy.sandboxChanged(A, true);
    await pass(clock, 29 * MIN, 60_000);
    assert.equal(effects.of('warn').length, 1, 'a full idle period from the resume');
    await pass(clock, MIN, 60_000);
    assert.equal(effects.of('warn').length, 2);
  });

  it('disabled: no reads, warnings or timers; turning it off mid-warning withdraws', async () => {
    const { clock, tracker, effects, policy } = setup({ enabled: false });
    tracker.touch(A, 'terminal-input');
    await pass(clock, 60 * MIN, 60_000);
    assert.deepEqual(effects.calls, []);
    assert.equal(clock.pendingTimers, 0, 'no timers while disabled');
    policy.setOptions({ enabled: true, idleMs: 30 * MIN, warnMs: MIN });
    await flush();
    assert.equal(effects.of('warn').length, 1, 'already idle: warned when enabled');
    policy.setOptions({ enabled: false, idleMs: 30 * MIN, warnMs: MIN });
    assert.deepEqual(
      effects.of('withdraw').map((w) => w.reason),
      ['disabled'],
    );
    await pass(clock, 5 * MIN);
    assert.equal(effects.of('hibernate').length, 0);
  });

  it('a failed hibernate is reported and retried only after another idle period', async () => {
    const { clock, tracker, effects, policy } = setup();
    effects.hibernateResult = new Error('forbidden');
    tracker.touch(A, 'terminal-input');
    await pass(clock, 31 * MIN);
    assert.equal(effects.of('hibernate').length, 1);
    assert.equal(effects.of('failed').length, 1);
    assert.ok(!policy.isAutoHibernated(A));
    await pass(clock, 29 * MIN, 60_000);
    assert.equal(effects.of('warn').length, 1);
    await pass(clock, 2 * MIN, 60_000);
    assert.equal(effects.of('warn').length, 2);
  });

  it('an open terminal, forward, log stream or transfer (a hold) keeps it awake however silent; idle counts from the release', async () => {
    const { clock, tracker, effects } = setup();
    tracker.touch(A, 'terminal-input');
    const terminal = tracker.hold(A, 'terminal-input');
    await pass(clock, 5 * 60 * MIN, 60_000);
    assert.deepEqual(effects.calls, [], 'no read, no warning while held');
    terminal.dispose();
    await pass(clock, 30 * MIN - 1000, 60_000);
    assert.equal(effects.of('warn').length, 0, 'a full idle period after the release');
    await pass(clock, 2000);
    assert.equal(effects.of('warn').length, 1);
  });

  it('a hold taken during the warning withdraws it, and one taken while checking stops the warning', async () => {
    const { clock, tracker, effects } = setup();
    tracker.touch(A, 'terminal-input');
    await pass(clock, 30 * MIN);
    assert.equal(effects.of('warn').length, 1);
    const log = tracker.hold(A, 'file-read');
    assert.deepEqual(
      effects.of('withdraw').map((w) => w.reason),
      ['activity'],
    );
    await pass(clock, 5 * MIN);
    assert.equal(effects.of('hibernate').length, 0);
    log.dispose();
    let answer!: (i: { running: boolean }) => void;
    effects.inspection = () => new Promise((r) => (answer = r));
    await pass(clock, 30 * MIN);
    assert.equal(effects.of('inspect').length, 2, 'checking again after a full idle period');
    const upload = tracker.hold(A, 'file-write');
    answer({ running: true });
    await flush();
    assert.equal(effects.of('warn').length, 1, 'no second warning: an upload started meanwhile');
    upload.dispose();
  });

  it('Keep running, activity, a hold or turning it off after the countdown still stop it until the patch is sent; then it is too late', async () => {
    for (const stop of ['keep', 'touch', 'hold', 'disable'] as const) {
      const { clock, tracker, effects, policy } = setup();
      let send!: () => void;
      effects.beforeSend = new Promise<void>((r) => (send = r));
      tracker.touch(A, 'terminal-input');
      await pass(clock, 31 * MIN);
      assert.equal(effects.of('hibernate').length, 1, 'the countdown ran out: re-reading before the patch');
      if (stop === 'keep') assert.equal(policy.keepRunning(A), true, 'Keep running is honoured');
      else if (stop === 'touch') tracker.touch(A, 'terminal-input');
      else if (stop === 'hold') tracker.hold(A, 'port-forward');
      else policy.setOptions({ enabled: false, idleMs: 30 * MIN, warnMs: MIN });
      send();
      await flush();
      assert.equal(effects.of('sent').length, 0, `${stop}: the patch is not sent`);
      assert.equal(effects.of('hibernated').length, 0);
      assert.equal(policy.phase(A), 'watching');
      assert.ok(!policy.isAutoHibernated(A));
    }
    const { clock, tracker, effects, policy } = setup();
    let done!: () => void;
    effects.afterSend = new Promise<void>((r) => (done = r));
    tracker.touch(A, 'terminal-input');
    await pass(clock, 31 * MIN);
    assert.equal(effects.of('sent').length, 1);
    assert.equal(policy.keepRunning(A), false, 'once the patch is sent, Keep running says so');
    done();
    await flush();
    assert.ok(policy.isAutoHibernated(A));
  });

  it('a sandbox the tracker forgets (deleted) drops its warning', async () => {
    const { clock, tracker, effects } = setup();
    tracker.touch(A, 'terminal-input');
    await pass(clock, 30 * MIN);
    tracker.forget(A);
    assert.deepEqual(
      effects.of('withdraw').map((w) => w.reason),
      ['gone'],
    );
    await pass(clock, 5 * MIN);
    assert.equal(effects.of('hibernate').length, 0);
  });
});
