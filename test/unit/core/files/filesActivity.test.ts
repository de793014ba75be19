// A transfer in progress (a long upload or download, through the editor, the tree or an agent
// tool) keeps its sandbox awake: SandboxFileSystem holds it for as long as each exec runs, and
// idle time counts from the end. A stat (VS Code polls them) is not use.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ActivityTracker } from '../../../../src/core/finops/activity';
import { startLocalExec, TARGET, LocalExec } from '../../support/filesLocalExec';

const REF = { context: TARGET.context, namespace: TARGET.namespace, sandbox: TARGET.sandbox };

describe('file transfers and auto-hibernate', () => {
  let dir: string;
  let ex: LocalExec;
  const activity = new ActivityTracker();
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'as-files-activity-'));
    ex = await startLocalExec({ cwd: dir, fsOptions: { activity } });
  });
  after(async () => {
    await ex.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a stat is not use', async () => {
    writeFileSync(join(dir, 'polled.txt'), 'x');
    await ex.fs.stat(TARGET, join(dir, 'polled.txt'));
    assert.equal(activity.usedByThisWindow(REF), false);
  });

  it('an upload holds the sandbox while its bytes flow, and counts as a file write once done', async () => {
    const seen: boolean[] = [];
    await ex.fs.write(TARGET, join(dir, 'big.bin'), randomBytes(8 * 1024 * 1024), {
      create: true,
      overwrite: true,
      onProgress: () => seen.push(activity.isHeld(REF)),
    });
    assert.ok(seen.length > 1 && seen.every(Boolean), `held during the upload: ${seen.join(',')}`);
    assert.equal(activity.isHeld(REF), false, 'released once done');
    assert.equal(activity.lastActivity(REF)?.kind, 'file-write');
  });

  it('a download holds it too, and a failed one still releases it', async () => {
    const seen: boolean[] = [];
    await ex.fs.readTo(TARGET, join(dir, 'big.bin'), () => seen.push(activity.isHeld(REF)));
    assert.ok(seen.length > 0 && seen.every(Boolean));
    assert.equal(activity.lastActivity(REF)?.kind, 'file-read');
    await assert.rejects(ex.fs.read(TARGET, join(dir, 'missing')));
    assert.equal(activity.isHeld(REF), false);
  });
});
