import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { COMMAND_IDS } from '../../../src/shared/commandIds';

const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8'));

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
  it('engines.vscode is not newer than 1.139 and @types/vscode matches it', () => {
    const engine = String(pkg.engines.vscode).replace(/^\^/, '');
    const [major, minor] = engine.split('.').map(Number);
    assert.ok(major === 1 && minor <= 139, engine);
    assert.equal(pkg.devDependencies['@types/vscode'], engine);
  });
});
