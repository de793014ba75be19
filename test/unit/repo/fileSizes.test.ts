// The size budget (ARCHITECTURE.md): no source file in src/ or scripts/ over 400 lines, so a file
// that grows past it is split by concern rather than left to grow; a command's file
// (src/extension/commands/<resource>/<verbResource>.ts) stays under 200.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';

const ROOT = new URL('../../..', import.meta.url).pathname;
const MAX_LINES = 400;
const MAX_COMMAND_LINES = 200;

function lineCount(f: string): number {
  return readFileSync(f, 'utf8').split('\n').length - 1;
}

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return sources(p);
    return /\.(ts|mts|mjs|js|sh|go)$/.test(name) ? [p] : [];
  });
}

describe('size budget', () => {
  it(`no file in src/ or scripts/ is over ${MAX_LINES} lines`, () => {
    const files = [...sources(join(ROOT, 'src')), ...sources(join(ROOT, 'scripts'))];
    assert.ok(files.length > 100, 'the walk found the sources');
    const over = files.map((f) => ({ f: relative(ROOT, f), n: lineCount(f) })).filter((x) => x.n > MAX_LINES);
    assert.deepEqual(over, [], over.map((x) => `${x.f}: ${x.n} lines`).join('\n'));
  });
  it(`no file in src/extension/commands/ is over ${MAX_COMMAND_LINES} lines`, () => {
    const files = sources(join(ROOT, 'src/extension/commands'));
    assert.ok(files.length > 30, 'the walk found the command files');
    const over = files.map((f) => ({ f: relative(ROOT, f), n: lineCount(f) })).filter((x) => x.n > MAX_COMMAND_LINES);
    assert.deepEqual(over, [], over.map((x) => `${x.f}: ${x.n} lines`).join('\n'));
  });
});
