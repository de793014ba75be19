// Practice 13: a FileSystemProvider is a thin adapter. It shows no UI (a save's feedback is raised
// by a listener of its events) and fails only with FileSystemErrors, never a plain Error.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';

const ROOT = new URL('../../..', import.meta.url).pathname;

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return sources(p);
    return name.endsWith('.ts') ? [p] : [];
  });
}

const UI = /\b(show(Error|Warning|Information)Message|executeCommand|createDiagnosticCollection|showTextDocument|withProgress)\(/;

describe('file system providers are thin', () => {
  const providers = sources(join(ROOT, 'src/extension'))
    .map((f) => ({ file: relative(ROOT, f), text: readFileSync(f, 'utf8') }))
    .filter((f) => /implements vscode\.FileSystemProvider\b/.test(f.text));

  it('finds both providers', () => {
    assert.deepEqual(providers.map((p) => p.file).sort(), ['src/extension/files/fsProvider.ts', 'src/extension/yaml/editableYaml.ts']);
  });

  it('no provider class shows UI or throws a plain Error', () => {
    for (const { file, text } of providers) {
      const body = text.slice(text.search(/export class \w+ implements vscode\.FileSystemProvider/));
      assert.doesNotMatch(body, UI, file);
      assert.doesNotMatch(body, /throw new Error\(/, file);
    }
  });
});
