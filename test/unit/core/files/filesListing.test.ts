import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DirEntry, kindFromLetters, parseEpoch, parseListing, parseStat, splitNul } from '../../../../src/core/files/listing';
import { LIST_SCRIPT, STAT_SCRIPT } from '../../../../src/core/files/scripts';

const nul = (...parts: string[]) => Buffer.from(parts.map((p) => `${p}\0`).join(''), 'utf8');

describe('listing parsers (recorded output of each strategy)', () => {
  it('F: find -printf records, names with tabs, newlines and unicode; links to their target type', () => {
    const out = nul(
      'F',
      'ff\t644\t1000\t1000\t5\t1700000000.1234567890\ta file',
      'dd\t755\t0\t0\t4096\t1700000001.5\tsub',
      'ld\t777\t0\t0\t3\t1700000002.0\tlinkdir',
      'lN\t777\t0\t0\t7\t1700000003.0\tdangling',
      'ss\t755\t0\t0\t0\t1700000004.0\tsock',
      'pp\t644\t0\t0\t0\t1700000005.0\tfifo',
      'ff\t600\t0\t0\t1\t1700000006.0\tnew\nline\tand\ttabs',
      'ff\t644\t0\t0\t3\t1700000007.0\tünï #?%',
      'ff\t644\t0\t0\t1\t1700000008.0\t-dash',
    );
    const { strategy, entries } = parseListing(out);
    assert.equal(strategy, 'F');
    const by = (n: string) => entries.find((e) => e.name === n) as DirEntry;
    assert.deepEqual(by('a file'), { name: 'a file', kind: 'file', isLink: false, size: 5, mtimeMs: 1700000000123, mode: 0o644, uid: 1000, gid: 1000 });
    assert.equal(by('sub').kind, 'directory');
    assert.equal(by('sub').mtimeMs, 1700000001500);
    assert.deepEqual([by('linkdir').kind, by('linkdir').isLink, by('linkdir').size], ['directory', true, undefined]);
    assert.deepEqual([by('dangling').kind, by('dangling').isLink], ['missing', true]);
    assert.equal(by('sock').kind, 'socket');
    assert.equal(by('fifo').kind, 'fifo');
    assert.equal(by('new\nline\tand\ttabs').mode, 0o600);
    assert.ok(by('ünï #?%'));
    assert.ok(by('-dash'));
    assert.equal(entries.length, 9);
  });

  it('S: glob groups with type letters and positional stat lines', () => {
    const out = nul(
      'S',
      'N',
      './a file',
      './new\nline',
      './link',
      'T',
      'fffflf',
      'M',
      '644 5 1700000000 1000 1000\n600 1 1700000001 0 0\n777 4 1700000002 0 0\n',
      'N',
      './.hidden',
      'T',
      'dd',
      'M',
      '755 4096 1700000003 0 0\n',
    );
    const { strategy, entries } = parseListing(out);
    assert.equal(strategy, 'S');
    assert.deepEqual(entries, [
      { name: 'a file', kind: 'file', isLink: false, mode: 0o644, size: 5, mtimeMs: 1700000000000, uid: 1000, gid: 1000 },
      { name: 'new\nline', kind: 'file', isLink: false, mode: 0o600, size: 1, mtimeMs: 1700000001000, uid: 0, gid: 0 },
      { name: 'link', kind: 'file', isLink: true },
      { name: '.hidden', kind: 'directory', isLink: false, mode: 0o755, size: 4096, mtimeMs: 1700000003000, uid: 0, gid: 0 },
    ]);
  });

  it('S: a stat line missing (file vanished between glob and stat) drops the metadata, never misattributes it', () => {
    const out = nul('S', 'N', './a', './b', 'T', 'ffff', 'M', '644 5 1700000000 0 0\n');
    const { entries } = parseListing(out);
    assert.deepEqual(
      entries.map((e) => [e.name, e.kind, e.size]),
      [
        ['a', 'file', undefined],
        ['b', 'file', undefined],
      ],
    );
  });

  it('P: names and types only', () => {
    const out = nul('P', 'N', './x', './y', './z', 'T', 'ddppcc');
    assert.deepEqual(parseListing(out).entries, [
      { name: 'x', kind: 'directory', isLink: false },
      { name: 'y', kind: 'fifo', isLink: false },
      { name: 'z', kind: 'char', isLink: false },
    ]);
  });

  it('an empty directory is an empty list for every strategy', () => {
    for (const s of ['F', 'S', 'P']) assert.deepEqual(parseListing(nul(s)).entries, []);
  });

  it('rejects output it does not understand instead of guessing', () => {
    assert.throws(() => parseListing(Buffer.from('ls: cannot access /x: Invalid argument\n')));
    assert.throws(() => parseListing(nul('F', 'no tabs here')));
    assert.throws(() => parseListing(nul('S', 'N', './a', 'T', 'f')));
    assert.throws(() => parseListing(nul('S', 'N', 'unprefixed', 'T', 'ff')));
  });

  it('stat output per strategy', () => {
    assert.deepEqual(parseStat(nul('F', 'ff', '640\t1000\t1001\t12\t1700000000.999999')).info, {
      kind: 'file',
      isLink: false,
      mode: 0o640,
      uid: 1000,
      gid: 1001,
      size: 12,
      mtimeMs: 1700000000999,
    });
    assert.deepEqual(parseStat(Buffer.concat([nul('S', 'ld'), Buffer.from('755 4096 1700000000 0 0\n')])).info, {
      kind: 'directory',
      isLink: true,
      mode: 0o755,
      size: 4096,
      mtimeMs: 1700000000000,
      uid: 0,
      gid: 0,
    });
    assert.deepEqual(parseStat(nul('P', 'ss', '0 1700000000')).info, { kind: 'socket', isLink: false, size: 0, mtimeMs: 1700000000000 });
    assert.throws(() => parseStat(Buffer.from('stat: cannot statx')));
  });

  it('small helpers', () => {
    assert.deepEqual(splitNul(Buffer.from('a\0b\0c')), ['a', 'b', 'c']);
    assert.deepEqual(splitNul(Buffer.alloc(0)), []);
    assert.equal(parseEpoch('1700000000.1'), 1700000000100);
    assert.equal(parseEpoch('garbage'), undefined);
    assert.deepEqual(kindFromLetters('l', 'L'), { kind: 'missing', isLink: true });
    assert.deepEqual(kindFromLetters('b', 'b'), { kind: 'block', isLink: false });
  });
});

describe('listing scripts run by the local sh, every strategy forced', () => {
  let dir: string;
  const names = ['a file', 'new\nline', '-dash', 'it\'s "q"', 'ünï #?%', '.hidden', '..dots', 'sub', 'linkdir', 'dangling', 'fifo', 'sock'];
  let sock: ReturnType<typeof createServer>;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'as-files-'));
    writeFileSync(join(dir, 'a file'), 'hello');
    writeFileSync(join(dir, 'new\nline'), 'x');
    writeFileSync(join(dir, '-dash'), 'y');
    writeFileSync(join(dir, 'it\'s "q"'), 'q');
    writeFileSync(join(dir, 'ünï #?%'), 'ü');
    writeFileSync(join(dir, '.hidden'), '');
    writeFileSync(join(dir, '..dots'), '');
    mkdirSync(join(dir, 'sub'));
    symlinkSync('sub', join(dir, 'linkdir'));
    symlinkSync('nowhere', join(dir, 'dangling'));
    assert.equal(spawnSync('mkfifo', [join(dir, 'fifo')]).status, 0);
    sock = createServer();
    await new Promise<void>((r) => sock.listen(join(dir, 'sock'), r));
  });
  after(() => {
    sock.close();
    rmSync(dir, { recursive: true, force: true });
  });

  for (const strategy of ['F', 'S', 'P', '-']) {
    it(`lists every kind of entry (strategy ${strategy === '-' ? 'probed' : strategy})`, () => {
      const r = spawnSync('sh', ['-c', LIST_SCRIPT, 'sh', strategy, dir]);
      assert.equal(r.status, 0, r.stderr.toString());
      const { strategy: used, entries } = parseListing(r.stdout);
      if (strategy !== '-') assert.equal(used, strategy);
      assert.deepEqual(entries.map((e) => e.name).sort(), [...names].sort());
      const by = (n: string) => entries.find((e) => e.name === n) as DirEntry;
      assert.deepEqual([by('sub').kind, by('sub').isLink], ['directory', false]);
      assert.deepEqual([by('linkdir').kind, by('linkdir').isLink], ['directory', true]);
      assert.deepEqual([by('dangling').kind, by('dangling').isLink], ['missing', true]);
      assert.equal(by('fifo').kind, 'fifo');
      assert.equal(by('sock').kind, 'socket');
      assert.equal(by('new\nline').kind, 'file');
      if (used !== 'P') assert.equal(by('a file').size, 5);
    });

    it(`stats a file, a followed link and a dangling link (strategy ${strategy === '-' ? 'probed' : strategy})`, () => {
      const stat = (name: string) => {
        const r = spawnSync('sh', ['-c', STAT_SCRIPT, 'sh', strategy, join(dir, name)]);
        assert.equal(r.status, 0, r.stderr.toString());
        return parseStat(r.stdout).info;
      };
      const f = stat('a file');
      assert.equal(f.kind, 'file');
      assert.equal(f.size, 5);
      assert.ok(f.mtimeMs && Math.abs(f.mtimeMs - Date.now()) < 3_600_000, `mtime ${f.mtimeMs}`);
      assert.deepEqual([stat('linkdir').kind, stat('linkdir').isLink], ['directory', true]);
      assert.deepEqual([stat('dangling').kind, stat('dangling').isLink], ['missing', true]);
      assert.equal(stat('-dash').kind, 'file');
      const missing = spawnSync('sh', ['-c', STAT_SCRIPT, 'sh', strategy, join(dir, 'nope')]);
      assert.equal(missing.status, 2);
    });
  }

  it('refuses a path that is not a directory, or missing, with the matching exit code', () => {
    assert.equal(spawnSync('sh', ['-c', LIST_SCRIPT, 'sh', 'F', join(dir, 'a file')]).status, 20);
    assert.equal(spawnSync('sh', ['-c', LIST_SCRIPT, 'sh', 'F', join(dir, 'nope')]).status, 2);
  });
});
