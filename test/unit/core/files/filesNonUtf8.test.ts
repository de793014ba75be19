// Names that are not valid UTF-8 (\xff\xfe…) decode to U+FFFD, and that text names a different
// file (its UTF-8 bytes ef bf bd). Such names are listed but never addressed: every operation on a
// path holding U+FFFD is refused before any exec, so nothing can hit the other file.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { downloadTo } from '../../../../src/core/files/download';
import { unsafeEntryName } from '../../../../src/core/files/entryName';
import { SandboxFileError } from '../../../../src/core/files/errors';
import { startLocalExec, TARGET, LocalExec } from '../../support/filesLocalExec';

const RAW = Buffer.from([0xff, 0xfe, 0x62, 0x61, 0x64]); // "\xff\xfebad"
const SHOWN = '\ufffd\ufffdbad'; // what a lossy decode makes of it; also a real name (ef bf bd ef bf bd bad)

async function refusedBeforeExec(ex: LocalExec, p: Promise<unknown>): Promise<void> {
  const before = ex.commands.length;
  await assert.rejects(p, (err: unknown) => {
    assert.ok(err instanceof SandboxFileError, String(err));
    assert.equal(err.code, 'NoPermissions', err.message);
    assert.match(err.message, /not valid UTF-8/);
    return true;
  });
  assert.equal(ex.commands.length, before, 'no exec ran');
}

describe('names that are not valid UTF-8', () => {
  let dir: string;
  let ex: LocalExec;
  const P = (...parts: string[]) => join(dir, ...parts);
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'as-files-utf8-'));
    ex = await startLocalExec({ cwd: dir });
  });
  after(async () => {
    await ex.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('are listed, but reading, saving, deleting or renaming the shown name never touches the other file', async () => {
    const raw = Buffer.concat([Buffer.from(`${dir}/`), RAW]);
    writeFileSync(raw, 'raw bytes name');
    writeFileSync(P(SHOWN), 'the other file');
    const names = (await ex.fs.list(TARGET, dir)).map((e) => e.name);
    assert.equal(names.filter((n) => n === SHOWN).length, 2, `both listed: ${JSON.stringify(names)}`);
    await refusedBeforeExec(ex, ex.fs.read(TARGET, P(SHOWN)));
    await refusedBeforeExec(ex, ex.fs.stat(TARGET, P(SHOWN)));
    await refusedBeforeExec(ex, ex.fs.write(TARGET, P(SHOWN), Buffer.from('x'), { create: true, overwrite: true }));
    await refusedBeforeExec(ex, ex.fs.delete(TARGET, P(SHOWN), { recursive: true }));
    await refusedBeforeExec(ex, ex.fs.rename(TARGET, P(SHOWN), P('renamed'), { overwrite: true }));
    await refusedBeforeExec(ex, ex.fs.copy(TARGET, P('x'), P(SHOWN), { overwrite: true }));
    await refusedBeforeExec(ex, ex.fs.mkdir(TARGET, P(SHOWN, 'sub')));
    await refusedBeforeExec(ex, ex.fs.list(TARGET, P(SHOWN)));
    assert.equal(readFileSync(P(SHOWN), 'utf8'), 'the other file');
    assert.equal(readFileSync(raw, 'utf8'), 'raw bytes name');
    assert.equal(existsSync(P('renamed')), false);
  });

  it('a folder download skips them with a reason', async () => {
    mkdirSync(P('dl'));
    writeFileSync(Buffer.concat([Buffer.from(`${P('dl')}/`), RAW]), 'raw');
    writeFileSync(P('dl', 'ok.txt'), 'ok');
    const out = mkdtempSync(join(tmpdir(), 'as-files-utf8-out-'));
    try {
      const r = await downloadTo(ex.fs, TARGET, P('dl'), true, join(out, 'dl'), {
        report: () => undefined,
        signal: new AbortController().signal,
        confirmReplace: async () => 'cancel',
      });
      assert.equal(r.files, 1);
      assert.equal(r.skipped.length, 1);
      assert.match(r.skipped[0], /not valid UTF-8/);
      assert.equal(readFileSync(join(out, 'dl', 'ok.txt'), 'utf8'), 'ok');
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
    assert.match(unsafeEntryName(SHOWN) ?? '', /not valid UTF-8/);
  });
});
