import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DirEntry } from '../../../../src/core/files/listing';
import { displayConfigName, findWorkspaceConfig, workspaceConfigEntries } from '../../../../src/core/files/workspaceConfig';
import { TARGET } from '../../support/filesLocalExec';

const file = (name: string): DirEntry => ({ name, kind: 'file', isLink: false });
const dir = (name: string): DirEntry => ({ name, kind: 'directory', isLink: false });

describe('workspace configuration in a sandbox folder (M6)', () => {
  it('finds nothing in an ordinary folder', () => {
    assert.deepEqual(workspaceConfigEntries([file('main.py'), dir('src'), file('vscode'), file('settings.json')], undefined), []);
  });

  it('names the files VS Code would apply from .vscode/', () => {
    const found = workspaceConfigEntries(
      [dir('.vscode'), file('main.py')],
      [file('tasks.json'), file('settings.json'), file('launch.json'), file('notes.txt')],
    );
    assert.deepEqual(found, ['.vscode/launch.json', '.vscode/settings.json', '.vscode/tasks.json']);
  });

  it('counts an empty or unreadable .vscode/ (the agent can fill it later) and a link to one', () => {
    assert.deepEqual(workspaceConfigEntries([dir('.vscode')], []), ['.vscode/']);
    assert.deepEqual(workspaceConfigEntries([{ name: '.vscode', kind: 'directory', isLink: true }], undefined), ['.vscode/']);
  });

  it('names workspace files, not folders that merely end so', () => {
    assert.deepEqual(workspaceConfigEntries([file('b.code-workspace'), file('a.code-workspace'), dir('x.code-workspace')], undefined), [
      'a.code-workspace',
      'b.code-workspace',
    ]);
  });

  it('quotes names with control or bidi characters', () => {
    assert.equal(displayConfigName('proj.code-workspace'), 'proj.code-workspace');
    assert.equal(displayConfigName('a\nb.code-workspace'), '"a\\nb.code-workspace"');
    assert.equal(displayConfigName('\u202eexe.code-workspace'), '"\u202eexe.code-workspace"');
  });

  it('lists .vscode/ only when it is a directory', async () => {
    const listed: string[] = [];
    const fs = {
      list: async (_t: unknown, d: string) => {
        listed.push(d);
        return d === '/w' ? [dir('.vscode'), file('x')] : [file('tasks.json')];
      },
    };
    assert.deepEqual(await findWorkspaceConfig(fs, TARGET, '/w'), ['.vscode/tasks.json']);
    assert.deepEqual(listed, ['/w', '/w/.vscode']);
    const fileOnly = { list: async () => [file('.vscode')] };
    assert.deepEqual(await findWorkspaceConfig(fileOnly, TARGET, '/w'), ['.vscode/']);
  });
});
