// Saves on a full disk, on a real 64 KB tmpfs: the in-place path (a folder the user cannot write,
// as `nobody`) and the atomic path. The file is never left partly written and the message says
// the disk is full, not that the connection was lost.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CLEANUP_SCRIPT } from '../../../../src/core/files/scripts';
import { startLocalExec, TARGET, LocalExec } from '../../support/filesLocalExec';

const NOBODY = 65534;
const dir = mkdtempSync(join(tmpdir(), 'as-full-'));
const mounted = process.getuid?.() === 0 && spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k,mode=0755', 'tmpfs', dir]).status === 0;
const skip = mounted ? false : 'needs root and tmpfs mounts (mount -t tmpfs) to make a small disk';

describe('saving onto a full disk (64 KB tmpfs)', { skip }, () => {
  let asNobody: LocalExec;
  let asRoot: LocalExec;
  const stage = join(dir, 'stage');
  before(async () => {
    mkdirSync(stage);
    chownSync(stage, NOBODY, NOBODY);
    asNobody = await startLocalExec({ cwd: dir, shell: ['env', `TMPDIR=${stage}`, 'setpriv', `--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups'] });
    asRoot = await startLocalExec({ cwd: dir });
  });
  after(async () => {
    await asNobody?.close();
    await asRoot?.close();
    spawnSync('umount', [dir]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('in place (folder not writable): refuses when the new content does not fit, and the file keeps every byte', async () => {
    const t = join(dir, 'owned-by-nobody.txt');
    const old = Buffer.alloc(20_000, 'a');
    writeFileSync(t, old);
    chownSync(t, NOBODY, NOBODY);
    chmodSync(dir, 0o755);
    await assert.rejects(asNobody.fs.write(TARGET, t, Buffer.alloc(40_000, 'b'), { create: false, overwrite: true }), /no space|full/i);
    assert.deepEqual(readFileSync(t), old, 'the target is not truncated');
    rmSync(t);
  });

  it('in place: when it fits, it is written whole', async () => {
    const t = join(dir, 'small.txt');
    writeFileSync(t, 'old');
    chownSync(t, NOBODY, NOBODY);
    await asNobody.fs.write(TARGET, t, Buffer.from('new content'), { create: false, overwrite: true });
    assert.equal(readFileSync(t, 'utf8'), 'new content');
    rmSync(t);
  });

  it('atomic path: a full disk is reported as a full disk (not a lost connection), with no cleanup exec', async () => {
    const t = join(dir, 'root.txt');
    writeFileSync(t, 'keep me');
    const before = asRoot.commands.length;
    await assert.rejects(asRoot.fs.write(TARGET, t, Buffer.alloc(100_000, 'x'), { create: false, overwrite: true }), (err: Error) => {
      assert.match(err.message, /no space|full/i);
      assert.doesNotMatch(err.message, /connection/i);
      return true;
    });
    assert.equal(readFileSync(t, 'utf8'), 'keep me');
    assert.ok(!asRoot.commands.slice(before).some((argv) => argv.includes(CLEANUP_SCRIPT)), 'no cleanup exec');
    rmSync(t);
  });
});
