// Sandbox files on a busybox-only userland: every command of every operation runs through busybox
// (whose sh prefers its own applets, so find has no -printf and stat is busybox's). It needs no
// cluster, only the busybox that `npm run cluster:up` installs, hence it lives in this layer.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { SandboxFileError } from '../../src/core/files/errors';
import { LocalExec, startLocalExec, TARGET } from '../unit/support/filesLocalExec';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

describe('sandbox files on a busybox-only userland', () => {
  let dir: string;
  let ex: LocalExec;
  const P = (...p: string[]) => join(dir, ...p);

  before(async () => {
    assert.equal(spawnSync('busybox', ['true']).status, 0, 'busybox is installed (npm run cluster:up installs busybox-static)');
    dir = mkdtempSync(join(tmpdir(), 'as-files-bb-'));
    ex = await startLocalExec({ cwd: dir, shell: ['busybox'] });
  });
  after(async () => {
    await ex?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('lists with the stat strategy (busybox find has no -printf), names intact', async () => {
    for (const n of ['a b', 'new\nline', '-dash', 'ünï']) writeFileSync(P(n), n);
    assert.equal(spawnSync('mkfifo', [P('fifo')]).status, 0);
    const entries = await ex.fs.list(TARGET, dir);
    assert.deepEqual(entries.map((e) => e.name).sort(), ['-dash', 'a b', 'fifo', 'new\nline', 'ünï'].sort());
    assert.equal(entries.find((e) => e.name === 'a b')?.size, 3);
    assert.equal(entries.find((e) => e.name === 'fifo')?.kind, 'fifo');
    assert.ok(ex.commands.at(-1)?.[2]?.includes('pick'), 'ran the listing script');
    // The second call passes the probed strategy back: S.
    await ex.fs.list(TARGET, dir);
    assert.equal(ex.commands.at(-1)?.[4], 'S');
  });

  it('saves atomically keeping the mode, reads back 5 MB, refuses the FIFO', async () => {
    writeFileSync(P('keep'), 'old');
    spawnSync('chmod', ['640', P('keep')]);
    const data = randomBytes(5 * 1024 * 1024);
    await ex.fs.write(TARGET, P('keep'), data, { create: false, overwrite: true });
    assert.equal(statSync(P('keep')).mode & 0o777, 0o640);
    assert.equal(sha(readFileSync(P('keep'))), sha(data));
    assert.equal(sha(await ex.fs.read(TARGET, P('keep'))), sha(data));
    const st = await ex.fs.stat(TARGET, P('keep'));
    assert.deepEqual([st.kind, st.size, st.mode], ['file', data.length, 0o640]);
    await assert.rejects(ex.fs.read(TARGET, P('fifo')), (e: SandboxFileError) => e.code === 'NotRegular');
  });

  it('mkdir, copy, rename, delete', async () => {
    await ex.fs.mkdir(TARGET, P('d', 'e'), { parents: true });
    writeFileSync(P('d', 'e', 'f'), 'f');
    await ex.fs.copy(TARGET, P('d'), P('d2'), { overwrite: false });
    await ex.fs.rename(TARGET, P('d2'), P('d3'), { overwrite: false });
    assert.equal(readFileSync(P('d3', 'e', 'f'), 'utf8'), 'f');
    await ex.fs.delete(TARGET, P('d3'), { recursive: true });
    await assert.rejects(ex.fs.stat(TARGET, P('d3')), (e: SandboxFileError) => e.code === 'FileNotFound');
  });
});
