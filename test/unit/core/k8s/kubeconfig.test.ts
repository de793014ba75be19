import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { describe, it } from 'node:test';
import { configForContext, loadKubeconfig, NoKubeconfigError, resolveKubeconfigFiles } from '../../../../src/core/k8s/kubeconfig';

const dir = mkdtempSync(join(tmpdir(), 'kc-'));
function kc(file: string, context: string, server: string, current?: string) {
  const p = join(dir, file);
  writeFileSync(
    p,
    `apiVersion: v1
kind: Config
current-context: ${current ?? '""'}
clusters: [{name: ${context}, cluster: {server: "${server}"}}]
users: [{name: ${context}, user: {token: t-${context}}}]
contexts: [{name: ${context}, context: {cluster: ${context}, user: ${context}, namespace: ns-${context}}}]
`,
  );
  return p;
}

describe('kubeconfig', () => {
  it('a kubeconfig that fails to parse is reported by reason and line/column only, never a snippet of its contents', () => {
    const p = join(dir, 'bad.yaml');
    writeFileSync(
      p,
      `apiVersion: v1
kind: Config
users:
- name: admin
  user:
    token: eyJhbGciOiJSUzI1NiIsImtpZCI6IkFCQ0RFRkdI
    client-key-data: LS0tLS1CRUdJTiBQUklWQVRFIEtFWS0tLS0t
    password: @Adm1nPassw0rd!
    username: admin
`,
    );
    const err = (() => {
      try {
        loadKubeconfig(resolveKubeconfigFiles(p));
      } catch (e) {
        return e as Error;
      }
      assert.fail('expected a parse error');
    })();
    for (const secret of ['Adm1nPassw0rd', 'eyJhbGci', 'LS0tLS1CRUdJ', 'password:', 'token:'])
      assert.ok(!err.message.includes(secret), `message leaks ${secret}: ${err.message}`);
    assert.match(err.message, /bad\.yaml.*line 8, column 15/);
  });

  it('merges every $KUBECONFIG path, first current-context wins, missing files skipped', () => {
    const a = kc('a.yaml', 'alpha', 'https://127.0.0.1:1', 'alpha');
    const b = kc('b.yaml', 'beta', 'https://127.0.0.1:2', 'beta');
    const source = resolveKubeconfigFiles(undefined, { KUBECONFIG: [a, join(dir, 'nope.yaml'), b].join(delimiter) });
    assert.deepEqual(source.files, [a, b]);
    assert.deepEqual(source.missing, [join(dir, 'nope.yaml')]);
    const loaded = loadKubeconfig(source);
    assert.deepEqual(loaded.contexts.sort(), ['alpha', 'beta']);
    assert.equal(loaded.currentContext, 'alpha');
  });
  it('an explicit path wins over $KUBECONFIG', () => {
    const a = kc('c.yaml', 'gamma', 'https://127.0.0.1:3');
    assert.deepEqual(resolveKubeconfigFiles(a, { KUBECONFIG: '/x' }).files, [a]);
  });
  it('no file at all is a NoKubeconfigError naming where it looked', () => {
    const source = resolveKubeconfigFiles(undefined, {}, join(dir, 'home'));
    assert.throws(
      () => loadKubeconfig(source),
      (e: unknown) => e instanceof NoKubeconfigError && e.looked[0].endsWith('config'),
    );
  });
  it('pinning a context copies the config and leaves the original untouched', () => {
    const a = kc('d.yaml', 'delta', 'https://127.0.0.1:4', 'delta');
    const b = kc('e.yaml', 'eps', 'https://127.0.0.1:5');
    const loaded = loadKubeconfig(resolveKubeconfigFiles(undefined, { KUBECONFIG: [a, b].join(delimiter) }));
    const pinned = configForContext(loaded.config, 'eps');
    assert.equal(pinned.getCurrentCluster()?.server, 'https://127.0.0.1:5');
    assert.equal(loaded.config.getCurrentContext(), 'delta');
    assert.throws(() => configForContext(loaded.config, 'zeta'), /not in the kubeconfig/);
  });
});
