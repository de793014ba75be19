import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ActivityRef, ActivityTracker } from '../../../../src/core/finops/activity';
import { formatDuration, idleText, msUntilIdleTextChanges } from '../../../../src/core/finops/idle';
import { FakeClock } from '../../support/finopsFakes';

const A: ActivityRef = { context: 'c', namespace: 'demo', sandbox: 'alpha' };

describe('activity tracker', () => {
  it('records the last activity and its kind per sandbox', () => {
    const clock = new FakeClock();
    const t = new ActivityTracker({ clock });
    assert.equal(t.usedByThisWindow(A), false);
    assert.equal(t.lastActivity(A), undefined);
    assert.equal(t.idleMs(A), undefined);
    const start = clock.now();
    t.touch(A, 'terminal-input');
    clock.advance(42 * 60_000);
    assert.equal(t.idleMs(A), 42 * 60_000);
    t.touch({ ...A, container: 'agent' } as ActivityRef, 'file-write'); // richer targets pass as they are
    assert.deepEqual(t.lastActivity(A), { at: start + 42 * 60_000, kind: 'file-write', firstAt: start });
    assert.equal(t.idleMs(A), 0);
    assert.ok(t.usedByThisWindow(A));
    assert.ok(!t.usedByThisWindow({ ...A, context: 'other' }), 'contexts are kept apart');
    assert.ok(!t.usedByThisWindow({ ...A, namespace: 'other' }), 'namespaces are kept apart');
  });

  it('tells listeners about first use and about becoming active after a quiet spell, not about every byte', () => {
    const clock = new FakeClock();
    const t = new ActivityTracker({ clock, quietMs: 60_000 });
    const heard: string[] = [];
    t.onDidChange((r) => heard.push(r.sandbox));
    for (let i = 0; i < 1000; i++) {
      t.touch(A, 'terminal-output');
      clock.advance(10);
    }
    assert.deepEqual(heard, ['alpha'], 'a burst of output is one event');
    clock.advance(59_000);
    t.touch(A, 'terminal-output');
    assert.equal(heard.length, 1, 'not quiet long enough');
    clock.advance(60_000);
    t.touch(A, 'terminal-input');
    assert.equal(heard.length, 2, 'active again after a quiet minute');
  });

  it('lists used sandboxes per context and forgets deleted ones', () => {
    const clock = new FakeClock();
    const t = new ActivityTracker({ clock });
    t.touch(A, 'port-forward');
    t.touch({ context: 'd', namespace: 'x', sandbox: 'y' }, 'file-read');
    assert.deepEqual(t.used('c'), [A]);
    assert.equal(t.used().length, 2);
    const heard: ActivityRef[] = [];
    t.onDidChange((r) => heard.push(r));
    t.forget(A);
    assert.deepEqual(heard, [A]);
    assert.equal(t.usedByThisWindow(A), false);
  });

  it('does not keep the caller’s object and survives a failing listener', () => {
    const clock = new FakeClock();
    const errors: string[] = [];
    const t = new ActivityTracker({ clock, log: { trace() {}, debug() {}, info() {}, warn() {}, error: (m) => void errors.push(String(m)) } });
    t.onDidChange(() => {
      throw new Error('boom');
    });
    const target = { ...A, shell: 'bash' };
    assert.doesNotThrow(() => t.touch(target, 'terminal-input'));
    assert.equal(errors.length, 1);
    assert.deepEqual(t.used()[0], A);
  });

  it('a hold (open terminal, forward, log stream, transfer) keeps a sandbox in use until released, counted per hold', () => {
    const clock = new FakeClock();
    const t = new ActivityTracker({ clock });
    const heard: string[] = [];
    t.onDidChange((r) => heard.push(r.sandbox));
    const terminal = t.hold(A, 'terminal-input');
    const forward = t.hold(A, 'port-forward');
    assert.ok(t.isHeld(A));
    assert.ok(t.usedByThisWindow(A), 'a hold is use');
    clock.advance(3 * 60 * 60_000);
    assert.equal(t.idleMs(A), 0, 'never idle while held');
    terminal.dispose();
    terminal.dispose(); // twice is once
    assert.ok(t.isHeld(A), 'the forward still holds it');
    forward.dispose();
    assert.ok(!t.isHeld(A));
    assert.equal(t.lastActivity(A)?.at, clock.now(), 'idle time counts from the release');
    assert.equal(t.lastActivity(A)?.kind, 'port-forward');
    clock.advance(5 * 60_000);
    assert.equal(t.idleMs(A), 5 * 60_000);
    assert.deepEqual(heard, ['alpha', 'alpha'], 'holds are heard as touches are: first use, and the release after a quiet spell');
  });

  it('forgetting a sandbox (deleted) drops its holds; a hold released late does not bring it back or cut a newer one', () => {
    const t = new ActivityTracker({ clock: new FakeClock() });
    const old = t.hold(A, 'terminal-open');
    const older = t.hold(A, 'command');
    t.forget(A);
    assert.ok(!t.isHeld(A));
    older.dispose();
    assert.ok(!t.usedByThisWindow(A), 'not brought back');
    const fresh = t.hold(A, 'log-stream');
    old.dispose();
    assert.ok(t.isHeld(A), 'the newer hold stands');
    fresh.dispose();
    assert.ok(!t.isHeld(A));
  });

  it('is keyed by UID: a sandbox deleted and recreated under the same name is not "used by this window"', () => {
    const clock = new FakeClock();
    let uid: string | undefined = 'uid-1';
    const t = new ActivityTracker({ clock, uidOf: () => uid });
    t.touch(A, 'terminal-input');
    assert.equal(t.lastActivity(A)?.uid, 'uid-1');
    uid = 'uid-2'; // deleted and created again
    assert.equal(t.usedByThisWindow(A), false);
    assert.equal(t.idleMs(A), undefined);
    assert.deepEqual(t.used('c'), []);
    clock.advance(60_000);
    t.touch(A, 'file-read');
    assert.deepEqual(
      t.lastActivity(A),
      { at: clock.now(), kind: 'file-read', firstAt: clock.now(), uid: 'uid-2' },
      'the new sandbox starts a record of its own',
    );
    uid = undefined; // the model does not know it (paused): the record stands
    assert.ok(t.usedByThisWindow(A));
    assert.ok(t.isReplaced(A, 'uid-3'));
    assert.ok(!t.isReplaced(A, 'uid-2'));
  });

  it('a clock that went back is not "idle for minus 5 min"', () => {
    const clock = new FakeClock();
    const t = new ActivityTracker({ clock });
    t.touch(A, 'terminal-input');
    clock.jump(-5 * 60_000);
    assert.equal(t.idleMs(A), 0);
  });
});

describe('idle text', () => {
  it('reads like a person wrote it', () => {
    assert.equal(idleText(0), 'in use');
    assert.equal(idleText(59_999), 'in use');
    assert.equal(idleText(60_000), 'idle for 1 min');
    assert.equal(idleText(42 * 60_000 + 59_000), 'idle for 42 min');
    assert.equal(formatDuration(60 * 60_000), '1 h');
    assert.equal(formatDuration(125 * 60_000), '2 h 5 min');
    assert.equal(formatDuration(3 * 86_400_000), '3 d');
    assert.equal(formatDuration(3 * 86_400_000 + 4 * 3_600_000 + 59 * 60_000), '3 d 4 h');
  });
  it('knows when the text next changes (rows refresh at most once a minute)', () => {
    assert.equal(msUntilIdleTextChanges(0), 60_000);
    assert.equal(msUntilIdleTextChanges(42 * 60_000 + 15_000), 45_000);
  });
});
