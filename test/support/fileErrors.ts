// Assertions on the typed errors of the sandbox file system.
import assert from 'node:assert/strict';
import { SandboxFileError } from '../../src/core/files/errors';

/** Awaits `p`, asserts it rejects with a SandboxFileError of this code (and message), returns it. */
export async function rejectsWith(p: Promise<unknown>, code: string, message?: RegExp): Promise<SandboxFileError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof SandboxFileError, `expected a SandboxFileError, got ${String(err)}`);
    assert.equal(err.code, code, err.message);
    if (message) assert.match(err.message, message);
    return err;
  }
  assert.fail(`expected ${code}`);
}
