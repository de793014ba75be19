// Search in a sandbox, against real processes on this machine: GNU grep, then a busybox-only
// userland (find + busybox grep). Names with spaces, newlines and leading dashes; binary files
// skipped; include/exclude globs; case and regex; the cap.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { HitParser, SearchHit, searchInPod, SearchQuery } from '../../../../src/core/files/search';
import { startLocalExec, TARGET } from '../../support/filesLocalExec';

const q = (text: string, o: Partial<SearchQuery> = {}): SearchQuery => ({ text, regex: false, caseSensitive: false, include: [], exclude: [], ...o });

describe('search hit parser', () => {
  it('reads records split anywhere, names with newlines, skips non-text lines', () => {
    const whole = Buffer.from('/d/a\nb\x0012:hello world\n/d/-x\x003:bin\x01ary\n/d/c\x007:ok\r\n', 'utf8');
    for (let cut = 1; cut < whole.length; cut++) {
      const p = new HitParser();
      const hits = [...p.push(whole.subarray(0, cut)), ...p.push(whole.subarray(cut))];
      assert.deepEqual(
        hits,
        [
          { path: '/d/a\nb', line: 12, text: 'hello world' },
          { path: '/d/c', line: 7, text: 'ok' },
        ],
        `cut ${cut}`,
      );
    }
  });
});

for (const shell of [undefined, ['busybox']]) {
  describe(`searchInPod (${shell ? 'busybox-only' : 'GNU grep'})`, () => {
    const dirs: string[] = [];
    after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

    it('finds matches in odd names, honours globs, case and regex, skips binary files, caps', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'as-search-'));
      dirs.push(dir);
      mkdirSync(join(dir, 'sub dir'));
      writeFileSync(join(dir, 'a b.txt'), 'first line\nNeedle here\nlast\n');
      writeFileSync(join(dir, 'new\nline.py'), 'x = "needle"\n');
      writeFileSync(join(dir, '-dash.md'), 'a needle; $(rm -rf /) `x`\n');
      writeFileSync(join(dir, 'sub dir', 'deep.txt'), 'needle needle\n');
      writeFileSync(join(dir, 'blob.bin'), Buffer.concat([Buffer.from('needle'), Buffer.from([0, 1, 2, 0xff, 0xfe])]));
      const ex = await startLocalExec({ cwd: dir, shell });
      try {
        const pod = await ex.fs.locator.locate(TARGET);
        const run = async (query: SearchQuery, maxHits = 100) => {
          const hits: SearchHit[] = [];
          const outcome = await searchInPod(pod, dir, query, (h) => hits.push(...h), { maxHits });
          return { hits: hits.map((h) => `${h.path.slice(dir.length + 1)}:${h.line}`).sort(), outcome };
        };
        const all = await run(q('needle'));
        assert.deepEqual(all.hits, ['-dash.md:1', 'a b.txt:2', 'new\nline.py:1', 'sub dir/deep.txt:1'], 'binary skipped, odd names intact');
        assert.deepEqual((await run(q('Needle', { caseSensitive: true }))).hits, ['a b.txt:2']);
        assert.deepEqual((await run(q('ne+dle h', { regex: true }))).hits, ['a b.txt:2']);
        assert.deepEqual((await run(q('$(rm -rf /)'))).hits, ['-dash.md:1'], 'the query is data, not shell');
        assert.deepEqual((await run(q('needle', { include: ['*.txt', '*.md'], exclude: ['deep*'] }))).hits, ['-dash.md:1', 'a b.txt:2']);
        const capped = await run(q('needle'), 2);
        assert.equal(capped.hits.length, 2);
        assert.equal(capped.outcome.capped, true);
        assert.equal((await run(q('no such text anywhere'))).outcome.error, undefined, 'no match is not an error');
      } finally {
        await ex.close();
      }
    });
  });
}
