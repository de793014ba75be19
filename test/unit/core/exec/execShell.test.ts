import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { afterAttempt, DEFAULT_SHELLS, describeEnding, NO_SHELL_MARKER, PROBE_SCRIPT, shellPlan } from '../../../../src/core/exec/shell';

describe('shell fallback plan', () => {
  it('without a setting: one probe exec trying bash, ash, sh, then direct bash and ash', () => {
    const plan = shellPlan(undefined);
    assert.deepEqual(plan.tried, ['bash', 'ash', 'sh']);
    assert.deepEqual(plan.attempts[0], ['sh', '-c', PROBE_SCRIPT, 'agent-sandbox-shell', 'bash', 'ash', 'sh']);
    assert.deepEqual(plan.attempts.slice(1), [['bash'], ['ash']]);
  });

  it('a configured shell is passed as one argument, never spliced into the script', () => {
    const evil = '/opt/my shell; rm -rf / $(id)';
    const plan = shellPlan(`  ${evil} `);
    assert.deepEqual(plan.tried, [evil]);
    assert.equal(plan.attempts[0][2], PROBE_SCRIPT);
    assert.equal(plan.attempts[0].at(-1), evil);
    assert.deepEqual(plan.attempts[1], [evil]);
  });

  it('an empty setting means the default list', () => assert.deepEqual(shellPlan('   ').tried, [...DEFAULT_SHELLS]));
});

describe('the probe script, run by a real /bin/sh', () => {
  const dir = mkdtempSync(join(tmpdir(), 'probe-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const fakeShell = (name: string) => {
    const p = join(dir, name);
    writeFileSync(p, `#!/bin/sh\necho "I am ${name} TERM=$TERM"\n`);
    chmodSync(p, 0o755);
  };
  const run = (candidates: string[], env: Record<string, string> = {}) =>
    spawnSync('/bin/sh', ['-c', PROBE_SCRIPT, 'agent-sandbox-shell', ...candidates], { env: { PATH: dir, ...env }, encoding: 'utf8' });

  it('execs the first candidate found, with TERM defaulted for the terminal', () => {
    fakeShell('ash');
    const r = run(['bash', 'ash', 'sh']);
    assert.equal(r.status, 0);
    assert.equal(r.stdout.trim(), 'I am ash TERM=xterm-256color');
  });

  it('keeps a TERM the container already has', () => {
    const r = run(['ash'], { TERM: 'vt100' });
    assert.equal(r.stdout.trim(), 'I am ash TERM=vt100');
  });

  it('prints the marker naming every shell tried and exits 127 when none exists', () => {
    const r = run(['nosuch1', 'nosuch2']);
    assert.equal(r.status, 127);
    assert.equal(r.stderr.trim(), `${NO_SHELL_MARKER} (tried: nosuch1 nosuch2)`);
  });

  it('treats hostile candidate names as plain names (no command substitution)', () => {
    const flag = join(dir, 'pwned');
    const r = run([`$(touch ${flag})`, `;touch ${flag}`]);
    assert.equal(r.status, 127);
    assert.equal(existsSync(flag), false);
  });
});

describe('what happens after an attempt ends', () => {
  const plan = shellPlan(undefined);
  it('a normal exit ends with its code', () =>
    assert.deepEqual(afterAttempt(plan, 0, { kind: 'exited', code: 3 }, 'bash-5.2$ '), { kind: 'end', ending: { kind: 'exited', code: 3 } }));
  it('exit 127 with the probe marker means no shell, naming those tried', () => {
    assert.deepEqual(afterAttempt(plan, 0, { kind: 'exited', code: 127 }, `${NO_SHELL_MARKER} (tried: bash ash sh)\r\n`), {
      kind: 'end',
      ending: { kind: 'no-shell', tried: ['bash', 'ash', 'sh'] },
    });
  });
  it("a user's own `exit 127` inside a shell is just exit 127", () => {
    assert.deepEqual(afterAttempt(plan, 0, { kind: 'exited', code: 127 }, '$ foo\r\nsh: foo: not found\r\n$ exit\r\n'), {
      kind: 'end',
      ending: { kind: 'exited', code: 127 },
    });
  });
  it('sh itself missing (runtime "executable file not found", no output): retry the next attempt', () => {
    const r = afterAttempt(plan, 0, { kind: 'failed', message: 'exec: "sh": executable file not found in $PATH' }, '');
    assert.deepEqual(r, { kind: 'retry', next: 1 });
  });
  it('the last direct attempt failing the same way: no shell, with the runtime detail', () => {
    const r = afterAttempt(plan, 2, { kind: 'failed', message: 'stat /bin/ash: no such file or directory' }, '');
    assert.deepEqual(r, { kind: 'end', ending: { kind: 'no-shell', tried: ['bash', 'ash', 'sh'], detail: 'stat /bin/ash: no such file or directory' } });
  });
  it('other failures end as failures (no pointless retries)', () => {
    assert.deepEqual(afterAttempt(plan, 0, { kind: 'failed', message: 'container is paused' }, ''), {
      kind: 'end',
      ending: { kind: 'failed', message: 'container is paused' },
    });
  });
  it('a lost connection is lost, never a clean exit', () => {
    assert.deepEqual(afterAttempt(plan, 0, { kind: 'lost', message: 'reset' }, 'x'), { kind: 'end', ending: { kind: 'lost', message: 'reset' } });
  });
  it('endings read well', () => {
    assert.equal(describeEnding({ kind: 'exited', code: 3 }), 'Process exited with code 3');
    assert.equal(describeEnding({ kind: 'no-shell', tried: ['bash', 'ash', 'sh'] }, 'main'), 'No shell found in container main (tried bash, ash, sh)');
    assert.match(describeEnding({ kind: 'lost', message: 'reset' }), /^Connection lost: reset/);
  });
});
