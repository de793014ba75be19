import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { downloadTo, DownloadProgress } from '../../../../src/core/files/download';
import { copyBetweenSandboxes } from '../../../../src/core/files/crossCopy';
import { SandboxFileError } from '../../../../src/core/files/errors';
import { localChild, unsafeEntryName } from '../../../../src/core/files/entryName';
import type { DirEntry } from '../../../../src/core/files/listing';
import { TARGET } from '../../support/filesLocalExec';

/** A sandbox whose listing is whatever its (possibly compromised) `find` prints. */
function fakeSandbox(tree: Record<string, DirEntry[]>, content = 'remote bytes\n') {
  const reads: string[] = [];
  return {
    reads,
    list: async (_t: unknown, dir: string) => {
      const entries = tree[dir];
      if (!entries) throw new Error(`unexpected list of ${dir}`);
      return entries;
    },
    readTo: async (_t: unknown, p: string, sink: (c: Buffer) => void, signal?: AbortSignal) => {
      reads.push(p);
      for (let i = 0; i < 4; i++) {
        if (signal?.aborted) throw new Error('aborted');
        sink(Buffer.from(content));
        await new Promise((r) => setImmediate(r));
      }
    },
  };
}

const file = (name: string): DirEntry => ({ name, kind: 'file', isLink: false });
const progress = (answers: Array<'yes' | 'no' | 'all' | 'cancel'> = [], asked: string[] = []): DownloadProgress => ({
  report: () => undefined,
  signal: new AbortController().signal,
  confirmReplace: async (name) => {
    asked.push(name);
    return answers.shift() ?? 'cancel';
  },
});

describe('folder download: names from the sandbox are untrusted', () => {
  let root: string;
  before(() => {
    root = mkdtempSync(join(tmpdir(), 'as-dl-'));
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it('never writes outside the chosen folder, whatever the listing says', async () => {
    const chosen = join(root, 'a', 'b', 'chosen');
    mkdirSync(join(root, 'a', 'b'), { recursive: true });
    const sb = fakeSandbox({
      '/work': [file('../../escaped.txt'), file('..\\..\\win.txt'), file('..'), file('.'), file('C:evil'), file('nul\0x'), file('ok.txt')],
    });
    const r = await downloadTo(sb, TARGET, '/work', true, join(chosen, 'work'), progress());
    assert.equal(existsSync(join(root, 'a', 'escaped.txt')), false, 'escaped two levels up');
    assert.equal(existsSync(join(chosen, 'escaped.txt')), false);
    assert.deepEqual(sb.reads, ['/work/ok.txt'], 'only the safe name is read');
    assert.equal(readFileSync(join(chosen, 'work', 'ok.txt'), 'utf8'), 'remote bytes\n'.repeat(4));
    assert.equal(r.files, 1);
    assert.equal(r.skipped.length, 6, r.skipped.join('\n'));
  });

  it('does not follow a link to a folder (a loop `a -> .` ends)', async () => {
    const sb = fakeSandbox({ '/w': [{ name: 'a', kind: 'directory', isLink: true }, file('f')], '/w/a': [{ name: 'a', kind: 'directory', isLink: true }] });
    const r = await downloadTo(sb, TARGET, '/w', true, join(root, 'loop'), progress());
    assert.equal(r.files, 1);
    assert.match(r.skipped[0], /link to a folder/);
  });

  it('asks before replacing an existing local file, and keeps it on "no"', async () => {
    const dest = join(root, 'replace');
    mkdirSync(dest);
    writeFileSync(join(dest, 'mine.txt'), 'local work');
    const asked: string[] = [];
    const r = await downloadTo(fakeSandbox({ '/w': [file('mine.txt'), file('new.txt')] }), TARGET, '/w', true, dest, progress(['no'], asked));
    assert.deepEqual(asked, [join(dest, 'mine.txt')]);
    assert.equal(readFileSync(join(dest, 'mine.txt'), 'utf8'), 'local work');
    assert.equal(r.files, 1);
  });

  it('a local write error (missing folder, full disk) is reported, stops the remote read, and leaves no .part file', async () => {
    const sb = fakeSandbox({}, 'x'.repeat(1 << 16));
    await assert.rejects(downloadTo(sb, TARGET, '/f', false, join(root, 'no-such-dir', 'f'), progress()), /Could not write .*no-such-dir.*ENOENT/);
  });

  it('unsafeEntryName / localChild refuse every escaping form', () => {
    for (const bad of ['', '.', '..', 'a/b', 'a\\b', 'x\0', 'C:', 'c:x']) assert.ok(unsafeEntryName(bad), bad);
    for (const good of ['a', '.bashrc', '..a', 'a..', '名前', 'a b', '-x']) assert.equal(unsafeEntryName(good), undefined, good);
    assert.equal(localChild('/r/s', 'x'), '/r/s/x');
    assert.throws(() => localChild('/r/s', '../x'), /separator/);
  });
});

describe('copy between sandboxes: names from the source are untrusted', () => {
  it('skips names that would leave the destination folder and links to folders (no loop)', async () => {
    const listing: Record<string, DirEntry[]> = {
      '/src': [file('../../etc/profile.d/x.sh'), file('..'), { name: 'loop', kind: 'directory', isLink: true }, file('ok')],
      '/src/loop': [{ name: 'loop', kind: 'directory', isLink: true }],
    };
    const writes: string[] = [];
    const made: string[] = [];
    const sfs = {
      stat: async (_t: unknown, p: string) => (listing[p] ? { kind: 'directory' as const, isLink: false } : { kind: 'file' as const, isLink: false }),
      list: async (_t: unknown, p: string) => listing[p] ?? [],
      read: async () => new Uint8Array([1]),
      write: async (_t: unknown, p: string) => {
        writes.push(p);
        return { created: true };
      },
      mkdir: async (_t: unknown, p: string) => void made.push(p),
    };
    const skipped = await copyBetweenSandboxes(sfs as never, TARGET, '/src', { ...TARGET, sandbox: 'other' }, '/dst');
    assert.deepEqual(writes, ['/dst/ok']);
    assert.deepEqual(made, ['/dst']);
    assert.equal(skipped.length, 3, skipped.join('\n'));
  });

  it('with overwrite, clears the destination first: nothing there is fine, any other failure stops the copy', async () => {
    const calls: string[] = [];
    const fsWith = (deleteError: Error | undefined) => ({
      stat: async () => ({ kind: 'file' as const, isLink: false }),
      list: async () => [],
      read: async () => new Uint8Array([1]),
      write: async (_t: unknown, p: string) => (calls.push(`write ${p}`), { created: true }),
      mkdir: async () => undefined,
      delete: async (_t: unknown, p: string) => {
        calls.push(`delete ${p}`);
        if (deleteError) throw deleteError;
      },
    });
    const other = { ...TARGET, sandbox: 'other' };
    await copyBetweenSandboxes(fsWith(undefined), TARGET, '/a', other, '/b', undefined, { overwrite: true });
    assert.deepEqual(calls, ['delete /b', 'write /b']);
    calls.length = 0;
    await copyBetweenSandboxes(fsWith(new SandboxFileError('FileNotFound', 'gone', '/b')), TARGET, '/a', other, '/b', undefined, { overwrite: true });
    assert.deepEqual(calls, ['delete /b', 'write /b']);
    calls.length = 0;
    await assert.rejects(
      copyBetweenSandboxes(fsWith(new SandboxFileError('NoPermissions', 'denied', '/b')), TARGET, '/a', other, '/b', undefined, { overwrite: true }),
      /denied/,
    );
    assert.deepEqual(calls, ['delete /b']);
  });
});
