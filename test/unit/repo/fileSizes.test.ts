// The size budget (ARCHITECTURE.md): no source file in src/ or scripts/ over 400 lines, so a file
// that grows past it is split by concern rather than left to grow.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';

const ROOT = new URL('../../..', import.meta.url).pathname;
const MAX_LINES = 400;

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
    const over = files.map((f) => ({ f: relative(ROOT, f), n: readFileSync(f, 'utf8').split('\n').length - 1 })).filter((x) => x.n > MAX_LINES);
    assert.deepEqual(over, [], over.map((x) => `${x.f}: ${x.n} lines`).join('\n'));
  });
});
