import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeClient } from '../../../../src/core/k8s/client';
import { apiModelFromGroups, chooseVersion, discover } from '../../../../src/core/k8s/discovery';
import { collectionPath, objectPath } from '../../../../src/core/k8s/resources';

const group = (name: string, versions: string[]) => ({ name, versions: versions.map((v) => ({ groupVersion: `${name}/${v}`, version: v })) });

describe('discovery', () => {
  it('prefers v1beta1 and falls back to v1alpha1', () => {
    assert.equal(chooseVersion(['v1beta1', 'v1alpha1']), 'v1beta1');
    assert.equal(chooseVersion(['v1alpha1']), 'v1alpha1');
    assert.equal(chooseVersion(['v2']), undefined);
  });
  it('v0.5.x cluster: both groups at v1beta1', () => {
    const api = apiModelFromGroups([
      group('apps', ['v1']),
      group('agents.x-k8s.io', ['v1beta1', 'v1alpha1']),
      group('extensions.agents.x-k8s.io', ['v1beta1', 'v1alpha1']),
    ]);
    assert.deepEqual(api, { core: 'v1beta1', extensions: 'v1beta1' });
    assert.equal(collectionPath(api, 'SandboxWarmPool', 'demo'), '/apis/extensions.agents.x-k8s.io/v1beta1/namespaces/demo/sandboxwarmpools');
    assert.equal(collectionPath(api, 'Sandbox'), '/apis/agents.x-k8s.io/v1beta1/sandboxes');
  });
  it('v0.4.x cluster: v1alpha1', () => {
    const api = apiModelFromGroups([group('agents.x-k8s.io', ['v1alpha1']), group('extensions.agents.x-k8s.io', ['v1alpha1'])]);
    assert.deepEqual(api, { core: 'v1alpha1', extensions: 'v1alpha1' });
    assert.equal(objectPath(api, 'Sandbox', 'a b', 'x'), '/apis/agents.x-k8s.io/v1alpha1/namespaces/a%20b/sandboxes/x');
  });
  it('core only (no extensions) and nothing installed', () => {
    assert.deepEqual(apiModelFromGroups([group('agents.x-k8s.io', ['v1beta1'])]), { core: 'v1beta1', extensions: undefined });
    assert.deepEqual(apiModelFromGroups([group('apps', ['v1'])]), { core: undefined, extensions: undefined });
    assert.throws(() => collectionPath({}, 'Sandbox'), /not served/);
  });
  it('v1.0.x cluster (v1beta1 only): one request for the group list, no v1alpha1 probing', async () => {
    const asked: string[] = [];
    const client = {
      get: async (path: string) => {
        asked.push(path);
        return { groups: [group('agents.x-k8s.io', ['v1beta1']), group('extensions.agents.x-k8s.io', ['v1beta1'])] };
      },
    } as unknown as KubeClient;
    assert.deepEqual(await discover(client), { core: 'v1beta1', extensions: 'v1beta1' });
    assert.deepEqual(asked, ['/apis']);
  });
});
