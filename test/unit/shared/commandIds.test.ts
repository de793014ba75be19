import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { COMMAND_IDS } from '../../../src/shared/commandIds';

const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8'));
const ROOT = new URL('../../..', import.meta.url).pathname;
const COMMANDS_DIR = join(ROOT, 'src/extension/commands');

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? tsFiles(p) : name.endsWith('.ts') ? [p] : [];
  });
}

/** Every `register(ctx, 'id', …)` in the command files, with the file it is in. */
function registrations(): { file: string; id: string }[] {
  return tsFiles(COMMANDS_DIR).flatMap((f) =>
    [...readFileSync(f, 'utf8').matchAll(/\bregister\(\s*\w+,\s*'([^']+)'/g)].map((m) => ({ file: relative(ROOT, f), id: m[1] })),
  );
}

describe('command IDs', () => {
  it('match package.json contributes.commands both ways', () => {
    const declared = (pkg.contributes.commands as { command: string }[]).map((c) => c.command).sort();
    assert.deepEqual([...COMMAND_IDS].sort(), declared);
  });
  it('every menu entry names a declared command', () => {
    const ids = new Set<string>(COMMAND_IDS);
    for (const [menu, entries] of Object.entries(pkg.contributes.menus as Record<string, { command: string }[]>)) {
      for (const e of entries) assert.ok(ids.has(e.command), `${menu} refers to unknown ${e.command}`);
    }
  });
  it('every command is registered exactly once, in the one table, and only declared IDs are', () => {
    const found = registrations();
    assert.deepEqual(
      [...new Set(found.map((r) => r.file))],
      ['src/extension/commands/registerCommands.ts'],
      'handler files export handlers; the table registers them',
    );
    const ids = new Set<string>(COMMAND_IDS);
    for (const r of found) assert.ok(ids.has(r.id), `${r.file} registers ${r.id}, which is not in src/shared/commandIds.ts`);
    const seen = found.map((r) => r.id).sort();
    assert.deepEqual(seen, [...new Set(seen)], 'an ID is registered twice');
    assert.deepEqual(seen, [...COMMAND_IDS].sort(), 'a declared command has no handler');
  });
  it('engines.vscode is not newer than 1.139 and @types/vscode is not newer than it (no API the engine lacks)', () => {
    const engine = String(pkg.engines.vscode).replace(/^\^/, '');
    const [major, minor] = engine.split('.').map(Number);
    assert.ok(major === 1 && minor !== undefined && minor <= 139, engine);
    // 1.139's typings were never published: 1.138's describe a subset of what the engine has.
    const [tMajor, tMinor] = String(pkg.devDependencies['@types/vscode']).split('.').map(Number);
    assert.ok(
      tMajor === 1 && tMinor !== undefined && tMinor <= minor && tMinor >= minor - 1,
      `@types/vscode ${pkg.devDependencies['@types/vscode']} vs engines ${engine}`,
    );
  });
});
