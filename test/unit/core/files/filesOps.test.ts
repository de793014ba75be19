import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { chownSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { rejectsWith } from '../../../support/fileErrors';
import { waitFor } from '../../../support/wait';
import { sandboxObject, startLocalExec, TARGET, LocalExec } from '../../support/filesLocalExec';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

describe('SandboxFileSystem over the exec protocol (local commands behind a fake API server)', () => {
  let dir: string;
  let ex: LocalExec;
  let sock: ReturnType<typeof createServer>;
  const P = (...parts: string[]) => join(dir, ...parts);

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'as-files-ops-'));
    ex = await startLocalExec({ cwd: dir, fsOptions: { maxParallel: 2 } });
    sock = createServer();
    await new Promise<void>((r) => sock.listen(P('sock'), r));
    assert.equal(spawnSync('mkfifo', [P('fifo')]).status, 0);
  });
  after(async () => {
    sock.close();
    await ex.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes, stats and reads back a file with any name (space, quote, newline, unicode, leading dash, #?%)', async () => {
    for (const name of ['a b.txt', 'it\'s "q"', 'new\nline', 'ünï 日本 😀', '-dash', '--', '#?%20']) {
      const data = Buffer.from(`content of ${name}`);
      const { created } = await ex.fs.write(TARGET, P(name), data, { create: true, overwrite: false });
      assert.equal(created, true);
      assert.equal(readFileSync(P(name), 'utf8'), `content of ${name}`);
      assert.equal(statSync(P(name)).mode & 0o777, 0o666 & ~process.umask(), 'a new file gets the normal mode');
      const info = await ex.fs.stat(TARGET, P(name));
      assert.equal(info.kind, 'file');
      assert.equal(info.size, data.length);
      assert.ok(info.mtimeMs && Math.abs(info.mtimeMs - statSync(P(name)).mtimeMs) < 1000);
      assert.equal(Buffer.from(await ex.fs.read(TARGET, P(name))).toString(), `content of ${name}`);
    }
    const names = (await ex.fs.list(TARGET, dir)).map((e) => e.name);
    for (const n of ['a b.txt', 'new\nline', '-dash', '--']) assert.ok(names.includes(n), n);
  });

  it('round-trips 20 MB of random bytes (sha256 equal), streamed in both directions', async () => {
    const data = randomBytes(20 * 1024 * 1024);
    let progress = 0;
    await ex.fs.write(TARGET, P('big.bin'), data, { create: true, overwrite: true, onProgress: (n) => (progress = n) });
    assert.equal(progress, data.length);
    assert.equal(sha(readFileSync(P('big.bin'))), sha(data));
    assert.equal(sha(await ex.fs.read(TARGET, P('big.bin'))), sha(data));
    const chunks: Buffer[] = [];
    await ex.fs.readTo(TARGET, P('big.bin'), (c) => chunks.push(c));
    assert.equal(sha(Buffer.concat(chunks)), sha(data));
  });

  it('keeps mode (and owner, as root) across a save, and writes through a symlink', async () => {
    writeFileSync(P('keep.sh'), 'old');
    spawnSync('chmod', ['750', P('keep.sh')]);
    const root = process.getuid?.() === 0;
    if (root) chownSync(P('keep.sh'), 1234, 4321);
    await ex.fs.write(TARGET, P('keep.sh'), Buffer.from('new'), { create: false, overwrite: true });
    const st = statSync(P('keep.sh'));
    assert.equal(st.mode & 0o7777, 0o750);
    if (root) assert.deepEqual([st.uid, st.gid], [1234, 4321]);
    assert.equal(readFileSync(P('keep.sh'), 'utf8'), 'new');
    symlinkSync('keep.sh', P('keep-link'));
    await ex.fs.write(TARGET, P('keep-link'), Buffer.from('via link'), { create: false, overwrite: true });
    assert.ok(lstatSync(P('keep-link')).isSymbolicLink(), 'the link stays a link');
    assert.equal(readFileSync(P('keep.sh'), 'utf8'), 'via link');
    assert.deepEqual(
      readdirSync(dir).filter((n) => n.includes('.as-')),
      [],
      'no temporary file is left',
    );
  });

  it('honours create/overwrite like VS Code expects', async () => {
    writeFileSync(P('exists.txt'), 'x');
    await rejectsWith(ex.fs.write(TARGET, P('exists.txt'), Buffer.from('y'), { create: true, overwrite: false }), 'FileExists');
    await rejectsWith(ex.fs.write(TARGET, P('absent.txt'), Buffer.from('y'), { create: false, overwrite: true }), 'FileNotFound');
    await rejectsWith(ex.fs.write(TARGET, P('no-such-dir', 'f'), Buffer.from('y'), { create: true, overwrite: true }), 'FileNotFound');
    await rejectsWith(ex.fs.write(TARGET, P('exists.txt', 'f'), Buffer.from('y'), { create: true, overwrite: true }), 'FileNotADirectory');
    mkdirSync(P('adir'));
    await rejectsWith(ex.fs.write(TARGET, P('adir'), Buffer.from('y'), { create: true, overwrite: true }), 'FileIsADirectory');
    assert.equal(readFileSync(P('exists.txt'), 'utf8'), 'x');
  });

  it('a save whose connection is cut leaves the original bytes and throws Unavailable', async () => {
    const original = randomBytes(1024);
    writeFileSync(P('precious.bin'), original);
    const abort = new AbortController();
    const data = randomBytes(16 * 1024 * 1024);
    const err = await rejectsWith(
      ex.fs.write(TARGET, P('precious.bin'), data, {
        create: true,
        overwrite: true,
        signal: abort.signal,
        onProgress: (n) => n >= 2 * 1024 * 1024 && abort.abort(),
      }),
      'Unavailable',
      /may not have been saved/,
    );
    assert.ok(err);
    // The script in the "pod" sees stdin end early; wait for it to clean up (it may outlive the socket).
    for (let i = 0; i < 200 && readdirSync(dir).some((n) => n.startsWith('.precious.bin.')); i++) await new Promise((r) => setImmediate(r));
    assert.equal(sha(readFileSync(P('precious.bin'))), sha(original));
  });

  it('a cut save is stopped and its temporary file removed even where the server never ends stdin (KWOK)', async () => {
    const kw = await startLocalExec({ cwd: dir, keepStdinOnClose: true });
    try {
      writeFileSync(P('kwok.bin'), 'original');
      const abort = new AbortController();
      await rejectsWith(
        kw.fs.write(TARGET, P('kwok.bin'), randomBytes(8 * 1024 * 1024), {
          create: true,
          overwrite: true,
          signal: abort.signal,
          onProgress: (n) => n >= 1024 * 1024 && abort.abort(),
        }),
        'Unavailable',
      );
      assert.equal(readFileSync(P('kwok.bin'), 'utf8'), 'original');
      assert.deepEqual(
        readdirSync(dir).filter((n) => n.startsWith('.kwok.bin.')),
        [],
        'the temporary file is gone',
      );
      const last = kw.commands.at(-1) ?? [];
      assert.match(last[2] ?? '', /kill/, 'a cleanup exec ran');
      await waitFor(() => kw.running() === 0, { timeout: 2_000, interval: 20, message: 'the stuck writer to be stopped' });
    } finally {
      await kw.close();
    }
  });

  it('refuses sockets, FIFOs and devices quickly, and files above the size limit with the size named', async () => {
    for (const p of [P('sock'), P('fifo'), '/dev/null', '/dev/zero']) {
      const t0 = Date.now();
      await rejectsWith(ex.fs.read(TARGET, p), 'NotRegular', /socket|pipe|device/);
      assert.ok(Date.now() - t0 < 5000, `refusing ${p} took ${Date.now() - t0} ms`);
    }
    writeFileSync(P('sized.bin'), randomBytes(3 * 1024 * 1024));
    const e = await rejectsWith(ex.fs.read(TARGET, P('sized.bin'), { maxBytes: 1024 * 1024 }), 'TooLarge', /3\.0 MB/);
    assert.equal(e.size, 3 * 1024 * 1024);
    assert.equal((await ex.fs.read(TARGET, P('sized.bin'), { maxBytes: 4 * 1024 * 1024 })).length, 3 * 1024 * 1024);
    await rejectsWith(ex.fs.read(TARGET, P('nothing-here')), 'FileNotFound');
    await rejectsWith(ex.fs.read(TARGET, dir), 'FileIsADirectory');
  });

  it('lists special files and links with the right kinds', async () => {
    symlinkSync('adir', P('dirlink'));
    symlinkSync('missing-target', P('broken'));
    const entries = await ex.fs.list(TARGET, dir);
    const by = (n: string) => entries.find((e) => e.name === n);
    assert.equal(by('sock')?.kind, 'socket');
    assert.equal(by('fifo')?.kind, 'fifo');
    assert.deepEqual([by('dirlink')?.kind, by('dirlink')?.isLink], ['directory', true]);
    assert.deepEqual([by('broken')?.kind, by('broken')?.isLink], ['missing', true]);
    const st = await ex.fs.stat(TARGET, P('dirlink'));
    assert.deepEqual([st.kind, st.isLink], ['directory', true]);
    await rejectsWith(ex.fs.list(TARGET, P('exists.txt')), 'FileNotADirectory');
    await rejectsWith(ex.fs.stat(TARGET, P('nope')), 'FileNotFound');
  });

  it('creates directories, renames, copies and deletes recursively', async () => {
    await ex.fs.mkdir(TARGET, P('tree'));
    await rejectsWith(ex.fs.mkdir(TARGET, P('tree')), 'FileExists');
    await rejectsWith(ex.fs.mkdir(TARGET, P('nope', 'x')), 'FileNotFound');
    await ex.fs.mkdir(TARGET, P('tree', 'deep', 'er'), { parents: true });
    writeFileSync(P('tree', 'deep', 'er', 'f.txt'), 'f');
    await ex.fs.copy(TARGET, P('tree'), P('tree copy'), { overwrite: false });
    assert.equal(readFileSync(P('tree copy', 'deep', 'er', 'f.txt'), 'utf8'), 'f');
    await rejectsWith(ex.fs.copy(TARGET, P('tree'), P('tree copy'), { overwrite: false }), 'FileExists');
    await rejectsWith(ex.fs.copy(TARGET, P('tree'), P('tree', 'deep', 'inside'), { overwrite: false }), 'NoPermissions', /into itself/);
    await ex.fs.rename(TARGET, P('tree copy'), P('-renamed\nfolder'), { overwrite: false });
    assert.ok(existsSync(P('-renamed\nfolder', 'deep', 'er', 'f.txt')));
    writeFileSync(P('r1'), '1');
    writeFileSync(P('r2'), '2');
    await rejectsWith(ex.fs.rename(TARGET, P('r1'), P('r2'), { overwrite: false }), 'FileExists');
    await ex.fs.rename(TARGET, P('r1'), P('r2'), { overwrite: true });
    assert.equal(readFileSync(P('r2'), 'utf8'), '1');
    await rejectsWith(ex.fs.rename(TARGET, P('r1'), P('r3'), { overwrite: false }), 'FileNotFound');
    await rejectsWith(ex.fs.delete(TARGET, P('tree'), { recursive: false }), 'NotEmpty');
    await ex.fs.delete(TARGET, P('tree'), { recursive: true });
    assert.ok(!existsSync(P('tree')));
    await ex.fs.delete(TARGET, P('dirlink'), { recursive: true });
    assert.ok(existsSync(P('adir')), 'deleting a link never deletes what it points to');
    await rejectsWith(ex.fs.delete(TARGET, P('tree'), { recursive: true }), 'FileNotFound');
    await rejectsWith(ex.fs.delete(TARGET, '/', { recursive: true }), 'NoPermissions');
  });

  it('probes the listing strategy once per container and passes it back', async () => {
    const before = ex.commands.length;
    await ex.fs.list(TARGET, dir);
    await ex.fs.stat(TARGET, dir);
    const mine = ex.commands.slice(before);
    assert.ok(
      mine.every((argv) => argv[0] === 'sh' && argv[1] === '-c' && argv[3] === 'sh'),
      'paths travel as arguments to a fixed script',
    );
    assert.ok(
      mine.every((argv) => argv[4] === 'F'),
      `strategy hints: ${mine.map((a) => a[4]).join(',')}`,
    );
  });

  it('probes the write copier once per container and passes it back: dd in 1 MiB blocks where it counts bytes', async () => {
    const other = await startLocalExec({ cwd: dir });
    try {
      const data = randomBytes(3 << 20);
      for (const name of ['copier-1.bin', 'copier-2.bin']) await other.fs.write(TARGET, P(name), data, { create: true, overwrite: true });
      await other.fs.write(TARGET, P('copier-empty.bin'), new Uint8Array(), { create: true, overwrite: true });
      assert.deepEqual(
        other.commands.filter((argv) => argv[9] !== undefined).map((argv) => argv[10]),
        ['-', 'd', 'd'],
        'the first write probes, the others are told',
      );
      assert.equal(sha(readFileSync(P('copier-2.bin'))), sha(data));
      assert.equal(statSync(P('copier-empty.bin')).size, 0);
    } finally {
      await other.close();
    }
  });

  it('writes with head -c where dd cannot count bytes (busybox builds without it)', async () => {
    const bin = P('no-dd-bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'dd'), '#!/bin/sh\necho "dd: unknown flag" >&2\nexit 1\n', { mode: 0o755 });
    const other = await startLocalExec({ cwd: dir, env: { ...process.env, PATH: `${bin}:${process.env['PATH'] ?? ''}` } });
    try {
      const data = randomBytes(1 << 20);
      for (const name of ['head-1.bin', 'head-2.bin']) await other.fs.write(TARGET, P(name), data, { create: true, overwrite: true });
      assert.deepEqual(
        other.commands.filter((argv) => argv[9] !== undefined).map((argv) => argv[10]),
        ['-', 'h'],
      );
      assert.equal(sha(readFileSync(P('head-2.bin'))), sha(data));
    } finally {
      await other.close();
    }
  });

  it('never runs more than maxParallel execs at once per container', async () => {
    let open = 0;
    let peak = 0;
    ex.onConnection((c) => {
      open++;
      peak = Math.max(peak, open);
      c.ws.on('close', () => open--);
    });
    await Promise.all(Array.from({ length: 8 }, () => ex.fs.stat(TARGET, dir)));
    ex.onConnection(() => undefined);
    assert.equal(peak, 2);
  });

  it('uses the template workingDir, else the shell working directory', async () => {
    assert.equal(await ex.fs.workingDirectory(TARGET), dir);
    const other = await startLocalExec({ cwd: dir, sandbox: () => sandboxObject('Running', '/srv/app/') });
    try {
      assert.equal(await other.fs.workingDirectory(TARGET), '/srv/app');
    } finally {
      await other.close();
    }
  });

  it('reports a hibernated sandbox as Unavailable (hibernated), without any exec', async () => {
    const h = await startLocalExec({ cwd: dir, sandbox: () => sandboxObject('Hibernated') });
    try {
      const err = await rejectsWith(h.fs.list(TARGET, dir), 'Unavailable', /hibernated/);
      assert.equal(err.hibernated, true);
      assert.equal(h.commands.length, 0);
    } finally {
      await h.close();
    }
  });

  it('a remembered pod that is gone (hibernated since) is looked up again, and the reason is given', async () => {
    let state: 'Running' | 'Hibernated' = 'Running';
    const h = await startLocalExec({
      cwd: dir,
      locatorTtlMs: 60_000,
      sandbox: () => sandboxObject(state),
      refuse: () => (state === 'Hibernated' ? { status: 404, body: JSON.stringify({ message: 'pods "sb" not found' }) } : undefined),
    });
    try {
      await h.fs.list(TARGET, dir);
      state = 'Hibernated';
      const err = await rejectsWith(h.fs.list(TARGET, dir), 'Unavailable', /hibernated; resume it/);
      assert.equal(err.hibernated, true);
    } finally {
      await h.close();
    }
  });

  it('saves over a v4-only API server too (no stdin close frame; the byte count ends the input)', async () => {
    const v4 = await startLocalExec({ cwd: dir, protocols: ['v4.channel.k8s.io'] });
    try {
      const data = randomBytes(300 * 1024);
      await v4.fs.write(TARGET, P('v4.bin'), data, { create: true, overwrite: true });
      assert.equal(sha(readFileSync(P('v4.bin'))), sha(data));
    } finally {
      await v4.close();
    }
  });
});
