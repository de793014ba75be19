// src/extension/files/uris.ts over the vscode mock (its Uri is vscode-uri, VS Code's own code):
// sandbox file URIs survive printing and parsing, other URIs are not taken for ours, and a
// malformed one is a FileNotFound error as a FileSystemProvider must throw.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as vscode from 'vscode'; // test/mocks/vscode.ts at run time
import { FILES_SCHEME, type FileTarget } from '../../../../src/core/files/uri';
import { fileUri, fromUri, isSandboxUri, parentUri } from '../../../../src/extension/files/uris';

const T: FileTarget = { context: 'arn:aws:eks:eu-west-1:1234:cluster/Prod', namespace: 'team-a', sandbox: 'py-abc12', container: 'main' };

describe('sandbox file URIs', () => {
  it('round-trip a context with ":" and "/" and odd paths through toString and parse', () => {
    for (const path of ['/', '/workspace/a b.txt', '/hash#frag?q=1', '/ünï/😀', '/per%cent']) {
      const uri = fileUri(T, path);
      assert.equal(uri.scheme, FILES_SCHEME);
      const back = fromUri(vscode.Uri.parse(uri.toString()));
      assert.deepEqual(back, { target: T, path }, path);
    }
  });

  it('normalizes the path it is given', () => {
    assert.equal(fileUri(T, 'workspace//x/../y/').path, '/workspace/y');
    assert.equal(fromUri(fileUri(T, '/a/./b/')).path, '/a/b');
  });

  it('takes only our scheme as a sandbox URI', () => {
    assert.equal(isSandboxUri(fileUri(T, '/x')), true);
    assert.equal(isSandboxUri(vscode.Uri.file('/x')), false);
    assert.equal(isSandboxUri({ scheme: FILES_SCHEME, path: '/x' }), false, 'a look-alike object is not a Uri');
  });

  it('reports a malformed authority as FileNotFound, naming the URI', () => {
    const bad = vscode.Uri.from({ scheme: FILES_SCHEME, authority: 'only.three.parts', path: '/x' });
    assert.throws(
      () => fromUri(bad),
      (err: unknown) => err instanceof vscode.FileSystemError && err.code === 'FileNotFound' && err.message.includes('agentsandbox://only.three.parts/x'),
    );
  });

  it('parentUri goes up one folder and stays at the root', () => {
    assert.equal(parentUri(fileUri(T, '/a/b')).path, '/a');
    assert.equal(parentUri(fileUri(T, '/')).path, '/');
    assert.deepEqual(fromUri(parentUri(fileUri(T, '/a/b'))).target, T);
  });
});
