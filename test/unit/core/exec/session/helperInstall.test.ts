// Installing the session helper, against real processes on this machine (GNU, then busybox-only):
// upload into a 0700 per-user cache, verified; found again without upload; a tampered copy is
// replaced; a directory writable by others is refused; a read-only home means "cannot persist".
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ensureHelper, HelperBundle, NoPersistence } from '../../../../../src/core/exec/session/helperInstall';
import { startLocalExec, TARGET } from '../../../support/filesLocalExec';

const fakeBinary = Buffer.from('#!/bin/sh\necho fake helper\n'.repeat(1000));
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const bundle: HelperBundle = { sha256: { amd64: sha(fakeBinary), arm64: sha(fakeBinary) }, bytes: async () => fakeBinary };

for (const shell of [undefined, ['busybox']]) {
  describe(
    `ensureHelper (${shell ? 'busybox-only' : 'GNU'} userland)`,
    { skip: shell && spawnSync('busybox', ['true']).status !== 0 ? 'busybox is not installed' : false },
    () => {
      const dirs: string[] = [];
      const oldHome = process.env['HOME'];
      after(() => {
        process.env['HOME'] = oldHome;
        dirs.forEach((d) => (spawnSync('chmod', ['-R', 'u+w', d]), rmSync(d, { recursive: true, force: true })));
      });

      it('uploads, verifies, finds it again without upload, replaces a tampered copy, refuses unsafe or read-only places', async () => {
        const dir = mkdtempSync(join(tmpdir(), 'as-helper-'));
        dirs.push(dir);
        const home = join(dir, 'home');
        mkdirSync(home);
        process.env['HOME'] = home; // the local exec runs with this process's environment
        const ex = await startLocalExec({ cwd: dir, shell });
        try {
          const pod = await ex.fs.locator.locate(TARGET);
          await assert.rejects(
            ensureHelper(pod, bundle, false),
            (e: Error) => e instanceof NoPersistence && /uploadHelper/.test(e.message),
            'upload off and nothing there',
          );
          const place = await ensureHelper(pod, bundle, true);
          assert.equal(place.bin, join(home, '.cache/agent-sandbox/bin', sha(fakeBinary), 'as-session'));
          assert.deepEqual(readFileSync(place.bin), fakeBinary);
          assert.equal(statSync(place.bin).mode & 0o777, 0o700);
          assert.equal(statSync(join(home, '.cache/agent-sandbox')).mode & 0o777, 0o700);
          const execs = ex.commands.length;
          assert.deepEqual(await ensureHelper(pod, bundle, false), place, 'found, verified, no upload');
          assert.equal(ex.commands.length, execs + 1, 'one exec to check');
          writeFileSync(place.bin, 'tampered');
          assert.deepEqual(await ensureHelper(pod, bundle, true), place);
          assert.deepEqual(readFileSync(place.bin), fakeBinary, 'a copy that fails its checksum is replaced');
          chmodSync(join(home, '.cache/agent-sandbox/bin'), 0o777);
          await assert.rejects(ensureHelper(pod, bundle, true), (e: Error) => e instanceof NoPersistence && /bin is writable by others/.test(e.message));
          // A home nothing can be created in (a read-only root filesystem; /proc refuses even root).
          process.env['HOME'] = '/proc/self';
          await assert.rejects(ensureHelper(pod, bundle, true), (e: Error) => e instanceof NoPersistence && /read-only/.test(e.message));
        } finally {
          await ex.close();
        }
      });
    },
  );
}
