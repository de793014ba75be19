// Saving through a symlink, also where `readlink -f` is missing (old busybox builds without
// FEATURE_READLINK_FOLLOW, images with no readlink at all): the link must stay a link and the file
// it points to get the bytes. A fake `readlink` first on PATH stands in for those images.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startLocalExec, TARGET, LocalExec } from '../../support/filesLocalExec';

const busybox = spawnSync('busybox', ['true']).status === 0;
const FAKES: Record<string, string | undefined> = {
  'readlink -f': undefined,
  busybox: undefined,
  'readlink without -f': '#!/bin/sh\nfor a; do [ "$a" = -f ] && { echo "readlink: unrecognized option -f" >&2; exit 1; }; done\nexec /usr/bin/readlink "$@"\n',
  'no readlink at all': '#!/bin/sh\necho "readlink: not found" >&2\nexit 127\n',
};

for (const [variant, fake] of Object.entries(FAKES)) {
  describe(`saving through a symlink (${variant})`, { skip: variant === 'busybox' && !busybox ? 'busybox is not installed' : false }, () => {
    let dir: string;
    let ex: LocalExec;
    const P = (...parts: string[]) => join(dir, ...parts);
    before(async () => {
      dir = mkdtempSync(join(tmpdir(), 'as-files-link-'));
      mkdirSync(P('bin'));
      if (fake) {
        writeFileSync(P('bin', 'readlink'), fake);
        chmodSync(P('bin', 'readlink'), 0o755);
      }
      mkdirSync(P('real'));
      mkdirSync(P('links'));
      // busybox runs its own applets (readlink included) before anything on PATH.
      ex = await startLocalExec({
        cwd: dir,
        shell: variant === 'busybox' ? ['busybox'] : ['env', `PATH=${P('bin')}:${process.env['PATH'] ?? '/usr/bin:/bin'}`],
      });
    });
    after(async () => {
      await ex.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('keeps a relative link, a link to a link in another folder, and an absolute link', async () => {
      writeFileSync(P('real', 'target.txt'), 'old');
      symlinkSync('target.txt', P('real', 'rel-link'));
      symlinkSync('../real/rel-link', P('links', 'chain'));
      symlinkSync(P('real', 'target.txt'), P('links', 'abs'));
      for (const link of [P('real', 'rel-link'), P('links', 'chain'), P('links', 'abs')]) {
        const text = `via ${link}`;
        await ex.fs.write(TARGET, link, Buffer.from(text), { create: false, overwrite: true });
        assert.ok(lstatSync(link).isSymbolicLink(), `${link} stays a link`);
        assert.equal(readFileSync(P('real', 'target.txt'), 'utf8'), text);
      }
      // A target whose name ends in a newline is not mistaken for the one without it.
      writeFileSync(P('real', 'nl\n'), 'old');
      writeFileSync(P('real', 'nl'), 'other file');
      symlinkSync('nl\n', P('real', 'to-nl'));
      await ex.fs.write(TARGET, P('real', 'to-nl'), Buffer.from('new'), { create: false, overwrite: true });
      assert.deepEqual([readFileSync(P('real', 'nl\n'), 'utf8'), readFileSync(P('real', 'nl'), 'utf8')], ['new', 'other file']);
      assert.ok(lstatSync(P('real', 'to-nl')).isSymbolicLink());
      for (const d of ['real', 'links'])
        assert.deepEqual(
          readdirSync(P(d)).filter((n) => n.includes('.as-')),
          [],
          `no temporary file left in ${d}`,
        );
    });
  });
}
