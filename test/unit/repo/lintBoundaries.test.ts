// The architecture's boundaries are lint errors (eslint.config.mjs): these snippets, linted as if
// they lived in each layer, must be refused, and their allowed twins accepted.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';

// Type-aware rules need the file on disk in a tsconfig; the boundary rules do not, so they are
// checked on virtual files with the type-aware ones off.
const eslint = new ESLint({ overrideConfig: [{ files: ['**/*.ts'], ...tseslint.configs.disableTypeChecked }] });

async function rulesHit(filePath: string, code: string): Promise<string[]> {
  const [r] = await eslint.lintText(code, { filePath });
  return r.messages.map((m) => m.ruleId ?? m.message);
}

describe('lint boundaries', () => {
  it('core and shared may not import vscode at run time; a type import is fine', async () => {
    assert.deepEqual(await rulesHit('src/core/k8s/probe.ts', "import * as vscode from 'vscode';\nexport const x = vscode;\n"), [
      '@typescript-eslint/no-restricted-imports',
    ]);
    assert.deepEqual(await rulesHit('src/shared/probe.ts', "import { window } from 'vscode';\nexport const x = window;\n"), [
      '@typescript-eslint/no-restricted-imports',
    ]);
    assert.deepEqual(await rulesHit('src/core/k8s/probe.ts', "import type { Uri } from 'vscode';\nexport type X = Uri;\n"), []);
  });

  it('core never imports the extension host; the host never imports the browser build, and back', async () => {
    assert.deepEqual(await rulesHit('src/core/model/probe.ts', "import { readSettings } from '../../extension/config';\nexport const x = readSettings;\n"), [
      '@typescript-eslint/no-restricted-imports',
    ]);
    assert.deepEqual(await rulesHit('src/extension/panels/probe.ts', "import { el } from '../../../webviews/shared/dom';\nexport const x = el;\n"), [
      '@typescript-eslint/no-restricted-imports',
    ]);
    assert.deepEqual(await rulesHit('src/extension/panels/probe.ts', "import { PanelHost } from '../webviews/panelHost';\nexport const x = PanelHost;\n"), []);
    assert.deepEqual(await rulesHit('webviews/pool/probe.ts', "import * as vscode from 'vscode';\nexport const x = vscode;\n"), [
      '@typescript-eslint/no-restricted-imports',
    ]);
    assert.deepEqual(await rulesHit('webviews/pool/probe.ts', "import { x as y } from '../../src/core/model/objects';\nexport const x = y;\n"), [
      '@typescript-eslint/no-restricted-imports',
    ]);
    // Render code stays DOM-free so it runs in plain Node; only main.ts and shared/dom.ts touch the page.
    assert.deepEqual(await rulesHit('webviews/pool/view.ts', "export const x = () => document.createElement('div');\n"), ['no-restricted-globals']);
    assert.deepEqual(await rulesHit('webviews/pool/main.ts', "export const x = () => document.createElement('div');\n"), []);
  });

  it('settings and commands each go through their one module; console is not a logger', async () => {
    assert.deepEqual(
      await rulesHit(
        'src/extension/commands/probe.ts',
        "import * as vscode from 'vscode';\nexport const x = vscode.workspace.getConfiguration('agentSandbox');\n",
      ),
      ['no-restricted-syntax'],
    );
    assert.deepEqual(
      await rulesHit('src/extension/commands/probe.ts', "import * as vscode from 'vscode';\nexport const x = vscode.commands.registerCommand('a', () => 1);\n"),
      ['no-restricted-syntax'],
    );
    assert.deepEqual(
      await rulesHit(
        'src/extension/finops/probe.ts',
        "import * as vscode from 'vscode';\nexport const x = vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('agentSandbox.cost'));\n",
      ),
      ['no-restricted-syntax', 'no-restricted-syntax'],
    );
    assert.deepEqual(await rulesHit('src/core/probe.ts', "console.log('x');\n"), ['no-console']);
  });
});
