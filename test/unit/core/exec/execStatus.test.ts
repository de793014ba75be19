import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseStatus } from '../../../../src/core/exec/status';

describe('exec status channel', () => {
  it('Success is exit code 0', () => {
    assert.deepEqual(parseStatus(JSON.stringify({ metadata: {}, status: 'Success' })), { kind: 'exited', code: 0 });
  });

  it('NonZeroExitCode carries the code in details.causes[reason=ExitCode]', () => {
    const doc = {
      metadata: {},
      status: 'Failure',
      message: 'command terminated with non-zero exit code: error executing command [sh -c exit 3], exit code 3',
      reason: 'NonZeroExitCode',
      details: { causes: [{ reason: 'ExitCode', message: '3' }] },
    };
    assert.deepEqual(parseStatus(JSON.stringify(doc)), { kind: 'exited', code: 3 });
  });

  it('NonZeroExitCode without a readable code is a failure, not exit 0', () => {
    const r = parseStatus(
      JSON.stringify({ status: 'Failure', reason: 'NonZeroExitCode', message: 'odd', details: { causes: [{ reason: 'ExitCode', message: 'x' }] } }),
    );
    assert.equal(r.kind, 'failed');
  });

  it('Failure (InternalError) keeps the message and reason', () => {
    const r = parseStatus(
      JSON.stringify({ status: 'Failure', reason: 'InternalError', message: 'Internal error occurred: exec: "zsh": executable file not found in $PATH' }),
    );
    assert.deepEqual(r, { kind: 'failed', reason: 'InternalError', message: 'Internal error occurred: exec: "zsh": executable file not found in $PATH' });
  });

  it('an InternalError that ends in Go\'s "exit status N" (a kubelet wrapping *exec.ExitError, e.g. kwok) is that exit code', () => {
    const message = 'Internal error occurred: error executing command in container: cmd wait: sh -c exit 3: exit status 3';
    assert.deepEqual(parseStatus(JSON.stringify({ status: 'Failure', reason: 'InternalError', message })), { kind: 'exited', code: 3 });
  });

  it('a killed process ("signal: killed") stays a failure', () => {
    const r = parseStatus(
      JSON.stringify({ status: 'Failure', reason: 'InternalError', message: 'error executing command in container: cmd wait: sleep 9: signal: killed' }),
    );
    assert.equal(r.kind, 'failed');
  });

  it('unreadable status text is a failure carrying the text', () => {
    assert.deepEqual(parseStatus('garbage'), { kind: 'failed', message: 'garbage' });
  });
});
