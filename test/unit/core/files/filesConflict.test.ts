// A save refused when the file changed in the sandbox since this window read (or saved) it: the
// check compares size and content inside the write's own exec, so it works where mtimes have whole
// seconds (busybox stat, S) or none at all (P without `date -r`), and leaves no gap between check
// and write. Against real processes on this machine: GNU, busybox-only, the in-place path, and
// every strategy forced.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { SandboxFileError } from '../../../../src/core/files/errors';
import { WRITE_SCRIPT } from '../../../../src/core/files/scripts';
import { contentVersion, KnownVersions } from '../../../../src/core/files/versions';
import { startLocalExec, TARGET, LocalExec } from '../../support/filesLocalExec';

const busybox = spawnSync('busybox', ['true']).status === 0;

/** Another writer (the agent) changes the file to the same size and puts its mtime back. */
function changeBehindOurBack(path: string, text: string): void {
  const st = statSync(path);
  assert.equal(Buffer.byteLength(text), st.size, 'same size, so neither size nor mtime tells');
  writeFileSync(path, text);
  utimesSync(path, st.atime, st.mtime);
}

async function refused(p: Promise<unknown>): Promise<void> {
  await assert.rejects(p, (err: unknown) => {
    assert.ok(err instanceof SandboxFileError, String(err));
    assert.equal(err.code, 'Modified', err.message);
    assert.match(err.message, /changed in the sandbox/);
    return true;
  });
}

describe('content version', () => {
  it('is the size and the md5 of the bytes, as md5sum prints it', () => {
    const bytes = Buffer.from('hello\n');
    assert.equal(contentVersion(bytes), `6:${createHash('md5').update(bytes).digest('hex')}`);
    assert.equal(contentVersion(new Uint8Array()), '0:d41d8cd98f00b204e9800998ecf8427e');
  });

  it('known versions: remembered per key, the oldest dropped past the cap, forgotten on demand', () => {
    const known = new KnownVersions(2);
    known.remember('a', Buffer.from('1'));
    known.remember('b', Buffer.from('2'));
    assert.equal(known.expected('a'), contentVersion(Buffer.from('1')));
    known.remember('c', Buffer.from('3')); // drops b: a was used more recently
    assert.equal(known.expected('b'), undefined);
    assert.equal(known.expected('a'), contentVersion(Buffer.from('1')));
    known.forget('a');
    assert.equal(known.expected('a'), undefined);
  });
});

const variants: { name: string; shell?: (dir: string) => string[]; skip?: string | false }[] = [
  { name: 'GNU' },
  { name: 'busybox-only', shell: () => ['busybox'], skip: busybox ? false : 'busybox is not installed' },
  // No readlink at all: a save through a link is written in place (the staged path).
  { name: 'in place through a link', shell: (dir) => ['env', `PATH=${join(dir, 'bin')}:${process.env['PATH'] ?? '/usr/bin:/bin'}`] },
];

for (const v of variants) {
  describe(`a save over a file changed since it was read (${v.name})`, { skip: v.skip ?? false }, () => {
    let dir: string;
    let ex: LocalExec;
    const P = (...parts: string[]) => join(dir, ...parts);
    /** The path the editor has open: through a link in the in-place variant. */
    const open = (name: string) => (v.name.startsWith('in place') ? P(`link-${name}`) : P(name));
    const create = (name: string, text: string) => {
      writeFileSync(P(name), text);
      if (v.name.startsWith('in place')) symlinkSync(name, P(`link-${name}`));
    };
    before(async () => {
      dir = mkdtempSync(join(tmpdir(), 'as-files-conflict-'));
      mkdirSync(P('bin'));
      writeFileSync(P('bin', 'readlink'), '#!/bin/sh\nexit 127\n');
      chmodSync(P('bin', 'readlink'), 0o755);
      ex = await startLocalExec({ cwd: dir, shell: v.shell?.(dir) });
    });
    after(async () => {
      await ex.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('refuses (Modified) and leaves the other writer’s bytes, even at the same size and mtime', async () => {
      create('a.txt', 'original');
      const read = await ex.fs.read(TARGET, open('a.txt'));
      changeBehindOurBack(P('a.txt'), 'by agent');
      await refused(ex.fs.write(TARGET, open('a.txt'), Buffer.from('mine!!!!'), { create: false, overwrite: true, expect: contentVersion(read) }));
      assert.equal(readFileSync(P('a.txt'), 'utf8'), 'by agent');
      assert.deepEqual(
        readdirSync(dir).filter((n) => n.includes('.as-')),
        [],
        'no temporary file is left',
      );
    });

    it('saves when nothing changed, and a save is the version the next save expects', async () => {
      create('b.txt', 'original');
      const read = await ex.fs.read(TARGET, open('b.txt'));
      const mine = Buffer.from('first save');
      await ex.fs.write(TARGET, open('b.txt'), mine, { create: false, overwrite: true, expect: contentVersion(read) });
      await ex.fs.write(TARGET, open('b.txt'), Buffer.from('second save'), { create: false, overwrite: true, expect: contentVersion(mine) });
      assert.equal(readFileSync(P('b.txt'), 'utf8'), 'second save');
    });

    it('a file that grew or shrank is refused too; without an expected version the save goes through', async () => {
      create('c.txt', 'original');
      const read = await ex.fs.read(TARGET, open('c.txt'));
      writeFileSync(P('c.txt'), 'a longer text from the agent');
      await refused(ex.fs.write(TARGET, open('c.txt'), Buffer.from('mine'), { create: false, overwrite: true, expect: contentVersion(read) }));
      await ex.fs.write(TARGET, open('c.txt'), Buffer.from('mine'), { create: false, overwrite: true });
      assert.equal(readFileSync(P('c.txt'), 'utf8'), 'mine');
    });
  });
}

describe('the write script refuses a changed file with every strategy forced', () => {
  let dir: string;
  before(() => (dir = mkdtempSync(join(tmpdir(), 'as-files-conflict-s-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  for (const strategy of ['F', 'S', 'P']) {
    it(`strategy ${strategy}`, () => {
      const t = join(dir, `f-${strategy}.txt`);
      writeFileSync(t, 'original');
      const want = contentVersion(Buffer.from('original'));
      changeBehindOurBack(t, 'by agent');
      const run = (expect: string) => spawnSync('sh', ['-c', WRITE_SCRIPT, 'sh', strategy, t, 'as-test.tmp', '4', 'o', expect], { input: 'mine' });
      const r = run(want);
      assert.equal(r.status, 116, r.stderr.toString());
      assert.equal(readFileSync(t, 'utf8'), 'by agent');
      assert.equal(run(contentVersion(Buffer.from('by agent'))).status, 0);
      assert.equal(readFileSync(t, 'utf8'), 'mine');
      assert.deepEqual(
        readdirSync(dir).filter((n) => n.includes('.as-')),
        [],
      );
    });
  }
});
