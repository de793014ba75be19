// How a shell connection ends, shared by ShellSession and PersistentShell: the exec's result read
// as a ShellEnding (shellEnding), and the output/ending bookkeeping both drive (ShellOutput).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { afterAttempt, NO_SHELL_MARKER, ShellEnding, shellEnding, shellPlan } from '../../../../src/core/exec/shell';
import { ShellOutput } from '../../../../src/core/exec/shellOutput';

const TRIED = ['bash', 'ash', 'sh'];
const MARKED = `${NO_SHELL_MARKER} (tried: bash ash sh)\r\n`;

describe('shellEnding: an exec result as the shell ending', () => {
  it('an exit is its code, 0 or not', () => {
    assert.deepEqual(shellEnding({ kind: 'exited', code: 0 }, '$ ', TRIED), { kind: 'exited', code: 0 });
    assert.deepEqual(shellEnding({ kind: 'exited', code: 3 }, '$ ', TRIED), { kind: 'exited', code: 3 });
  });
  it("exit 127 after the probe's marker is no shell, naming those tried", () => {
    assert.deepEqual(shellEnding({ kind: 'exited', code: 127 }, MARKED, TRIED), { kind: 'no-shell', tried: TRIED });
  });
  it('exit 127 without the marker, or the marker with another code, is a plain exit', () => {
    assert.deepEqual(shellEnding({ kind: 'exited', code: 127 }, 'sh: foo: not found\r\n', TRIED), { kind: 'exited', code: 127 });
    assert.deepEqual(shellEnding({ kind: 'exited', code: 1 }, MARKED, TRIED), { kind: 'exited', code: 1 });
  });
  it('a failure keeps its message only (the API reason is not part of the ending)', () => {
    assert.deepEqual(shellEnding({ kind: 'failed', message: 'container is paused', reason: 'InternalError' }, '', TRIED), {
      kind: 'failed',
      message: 'container is paused',
    });
  });
  it('a lost connection stays lost', () => {
    assert.deepEqual(shellEnding({ kind: 'lost', message: 'reset' }, MARKED, TRIED), { kind: 'lost', message: 'reset' });
  });
  it('afterAttempt reads the marker only after the probe: a direct shell exiting 127 just exited', () => {
    const plan = shellPlan(undefined);
    assert.deepEqual(afterAttempt(plan, 0, { kind: 'exited', code: 127 }, MARKED), { kind: 'end', ending: { kind: 'no-shell', tried: TRIED } });
    assert.deepEqual(afterAttempt(plan, 1, { kind: 'exited', code: 127 }, MARKED), { kind: 'end', ending: { kind: 'exited', code: 127 } });
  });
});

function recorder() {
  const seen = { text: '', endings: [] as ShellEnding[], order: [] as string[] };
  const out = new ShellOutput({
    output: (t) => ((seen.text += t), seen.order.push('output')),
    end: (e) => (seen.endings.push(e), seen.order.push('end')),
  });
  return { out, seen };
}

describe('ShellOutput: output and the one ending', () => {
  it('decodes UTF-8 split across chunks and keeps the start as head, at most 512 characters', () => {
    const { out, seen } = recorder();
    const euro = Buffer.from('€');
    out.push(euro.subarray(0, 1));
    out.push(Buffer.concat([euro.subarray(1), Buffer.from('x'.repeat(600))]));
    assert.equal(seen.text, `€${'x'.repeat(600)}`);
    assert.equal(out.head, `€${'x'.repeat(511)}`);
  });
  it('reports the ending once, after flushing what the decoder still held', () => {
    const { out, seen } = recorder();
    out.push(Buffer.from('€').subarray(0, 2));
    out.end({ kind: 'exited', code: 0 });
    out.end({ kind: 'lost', message: 'late' });
    assert.equal(out.ended, true);
    assert.deepEqual(seen.endings, [{ kind: 'exited', code: 0 }]);
    assert.deepEqual(seen.order, ['output', 'end'], 'the incomplete character is shown before the end');
  });
  it('close with no open exec ends at once as closed', () => {
    const { out, seen } = recorder();
    out.close(undefined);
    assert.equal(out.closedByUs, true);
    assert.deepEqual(seen.endings, [{ kind: 'closed' }]);
  });
  it('close with an open exec closes it and leaves the ending to the exec', () => {
    const { out, seen } = recorder();
    let closed = 0;
    out.close({ isOpen: true, close: () => void closed++ });
    assert.equal(closed, 1);
    assert.equal(out.closedByUs, true);
    assert.deepEqual(seen.endings, []);
  });
  it('close after the end does nothing', () => {
    const { out, seen } = recorder();
    out.end({ kind: 'exited', code: 2 });
    let closed = 0;
    out.close({ isOpen: true, close: () => void closed++ });
    assert.equal(closed, 0);
    assert.equal(out.closedByUs, false);
    assert.deepEqual(seen.endings, [{ kind: 'exited', code: 2 }]);
  });
});
