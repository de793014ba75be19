// Live files by polling, against real processes on this machine (GNU find, then busybox-only):
// a change to a watched file or folder arrives, a deleted root is reported once, nothing runs
// while nothing is watched, names with spaces/newlines/leading dashes survive.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { parsePoll, WatchChange, WatchPoller } from '../../../../src/core/files/watchPoll';
import { startLocalExec, TARGET } from '../../support/filesLocalExec';

/** Moves a file's mtime a few seconds into the future: a change the (second-granular) busybox find must see. */
const touchLater = (p: string) => utimesSync(p, new Date(), new Date(Date.now() + 5000));

describe('watch poll output', () => {
  it('keeps only changes under watched roots, reports gone roots', () => {
    const out = Buffer.from('W\0/w\0/w\0/w/a b\0/other\0G\0/gone\0W\0/x\0', 'utf8');
    assert.deepEqual(parsePoll(out, new Set(['/w', '/gone', '/x'])), [
      { kind: 'changed', path: '/w' },
      { kind: 'changed', path: '/w/a b' },
      { kind: 'deleted', path: '/gone' },
    ]);
    assert.equal(parsePoll(Buffer.from('FIRST\n'), new Set()), 'first');
  });
});

for (const shell of [undefined, ['busybox']]) {
  describe(`WatchPoller (${shell ? 'busybox-only' : 'GNU'} userland)`, () => {
    const dirs: string[] = [];
    after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

    it(
      'reports a changed file, a new entry in a watched folder, a deleted file once; stops when unwatched',
      { skip: shell && spawnSync('busybox', ['true']).status !== 0 ? 'busybox is not installed' : false },
      async () => {
        const dir = mkdtempSync(join(tmpdir(), 'as-watch-'));
        dirs.push(dir);
        const home = join(dir, 'home');
        mkdirSync(home);
        const ex = await startLocalExec({ cwd: dir, shell });
        try {
          const seen: WatchChange[][] = [];
          const poller = new WatchPoller(
            ex.fs.locator,
            (_t, c) => seen.push(c),
            () => 0,
          );
          const file = join(dir, '-a b\nc.txt');
          writeFileSync(file, 'one');
          mkdirSync(join(dir, 'folder'));
          // HOME for the stamps: the local exec runs with this process's env.
          process.env['HOME'] = home;
          const w1 = poller.watch(TARGET, file, false);
          const w2 = poller.watch(TARGET, join(dir, 'folder'), false);
          await poller.pollAll(); // lays the stamps
          assert.equal(seen.length, 0);
          await poller.pollAll();
          assert.equal(seen.length, 0, 'nothing changed, nothing reported');
          writeFileSync(file, 'two');
          touchLater(file);
          writeFileSync(join(dir, 'folder', 'new.txt'), 'x');
          touchLater(join(dir, 'folder', 'new.txt'));
          await poller.pollAll();
          const paths = seen
            .flat()
            .map((c) => `${c.kind} ${c.path}`)
            .sort();
          assert.ok(paths.includes(`changed ${file}`), JSON.stringify(paths));
          assert.ok(paths.includes(`changed ${join(dir, 'folder', 'new.txt')}`), JSON.stringify(paths));
          seen.length = 0;
          unlinkSync(file);
          await poller.pollAll();
          await poller.pollAll();
          assert.deepEqual(
            seen.flat().filter((c) => c.kind === 'deleted'),
            [{ kind: 'deleted', path: file }],
            'reported once',
          );
          const before = ex.commands.length;
          w1.dispose();
          w2.dispose();
          await poller.pollAll();
          assert.equal(ex.commands.length, before, 'no exec while nothing is watched');
          assert.equal(poller.watchedCount, 0);
        } finally {
          await ex.close();
        }
      },
    );
  });
}
