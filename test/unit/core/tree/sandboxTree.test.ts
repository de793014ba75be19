// The Sandboxes tree without VS Code (core/tree/sandboxTree.ts): a model change re-renders only
// the rows it touches, and a hidden view stops its watches (and a Retry while hidden starts none).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../../../src/core/model/objects';
import type { TreeNode } from '../../../../src/core/tree/nodes';
import { SandboxTree } from '../../../../src/core/tree/sandboxTree';
import { EXPANDED_NAMESPACES_MAX } from '../../../../src/core/tree/treeChildren';
import { openWatches, readyModel, scriptedCluster, until } from '../../support/scriptedCluster';

const sb = (name: string, rv = '1', mode = 'Running'): KubeObject => ({
  metadata: { name, namespace: 'ns', resourceVersion: rv, uid: name },
  spec: { operatingMode: mode },
  status: {},
});

async function visibleTree() {
  const cluster = scriptedCluster({ Sandbox: [sb('sb1'), sb('sb2')] });
  const { manager, current } = cluster;
  const tree = new SandboxTree(manager);
  const fired: (TreeNode | undefined)[] = [];
  tree.onDidChangeRows((n) => fired.push(n));
  manager.reload();
  await manager.session?.connect();
  let changes = 0;
  readyModel(manager).onDidChange(() => changes++); // after the tree's own listener
  tree.setVisible(true);
  await until(() => current().length > 0 && current().every((t) => t.watching === 1), 'the model watches');
  await until(() => changes > 0 && readyModel(manager).namespaces().length === 1, 'the tree saw the first listing');
  /** Expands every row, as the view does when the user opens them. */
  const expand = (node?: TreeNode): TreeNode[] => {
    const children = tree.adopt(node, tree.childrenOf(node));
    return [...children, ...children.flatMap((c) => expand(c))];
  };
  return { ...cluster, tree, fired, expand };
}

describe('SandboxTree', () => {
  it('namespaces start expanded while few, collapsed once a fleet has more than EXPANDED_NAMESPACES_MAX', async () => {
    const { tree, current } = await visibleTree();
    const namespaceRows = () => tree.childrenOf(tree.childrenOf(undefined)[0]).filter((n) => n.type === 'namespace');
    assert.deepEqual(
      namespaceRows().map((n) => n.type === 'namespace' && !!n.collapsed),
      [false],
    );
    const sandboxes = current().find((t) => t.kind === 'Sandbox');
    for (let i = 0; i < EXPANDED_NAMESPACES_MAX; i++)
      sandboxes?.emit({
        type: 'ADDED',
        object: { ...sb(`x${i}`, String(10 + i)), metadata: { name: `x${i}`, namespace: `team-${i}`, resourceVersion: String(10 + i), uid: `x${i}` } },
      });
    await until(() => namespaceRows().length === EXPANDED_NAMESPACES_MAX + 1, 'every namespace shown');
    assert.ok(
      namespaceRows().every((n) => n.type === 'namespace' && n.collapsed),
      'all collapsed',
    );
  });

  it('a sandbox modified in place re-renders its own rows; one added re-renders the groups that list or count it', async () => {
    const { tree, fired, expand, current, manager } = await visibleTree();
    const rows = expand();
    const sb1Rows = rows.filter((n) => n.type === 'resource' && n.name === 'sb1');
    assert.equal(sb1Rows.length, 1, 'sb1 is shown once (it has no pool or claim)');
    assert.ok(fired.includes(undefined), 'the first listing redrew the tree');
    fired.length = 0;

    const sandboxes = current().find((t) => t.kind === 'Sandbox');
    sandboxes?.emit({ type: 'MODIFIED', object: sb('sb1', '2', 'Running') });
    await until(() => fired.length > 0, 'a row is re-rendered');
    assert.deepEqual(fired, sb1Rows, 'only the modified sandbox row, never the whole tree');

    fired.length = 0;
    sandboxes?.emit({ type: 'ADDED', object: sb('sb3', '3') });
    await until(() => fired.length > 0, 'a group is re-rendered');
    assert.ok(
      fired.every((n) => n !== undefined),
      'not the whole tree',
    );
    const ids = fired.map((n) => n?.id ?? 'the whole tree');
    assert.ok(ids.includes(tree.groupNode('ns', 'Sandbox')?.id ?? 'missing'), `the Sandboxes group lists it: ${ids.join(', ')}`);
    assert.ok(ids.includes(tree.groupNode('ns', 'SandboxWarmPool')?.id ?? 'missing'), 'the Warm Pools group counts it');
    assert.ok(!ids.includes(sb1Rows[0].id), 'other sandbox rows are not redrawn');
    tree.dispose();
    manager.dispose();
  });

  it('a hidden view stops its watches; a Retry while hidden opens none; showing it starts them again', async () => {
    const { tree, manager, current } = await visibleTree();
    const base = openWatches.count;
    assert.ok(current().length >= 5 && current().every((t) => t.watching === 1));
    tree.setVisible(false);
    assert.equal(readyModel(manager).isRunning, false);
    assert.ok(
      current().every((t) => t.watching === 0),
      'every watch closed',
    );
    assert.equal(openWatches.count, base - current().length);

    const before = current().length;
    await manager.session?.connect(); // Retry while hidden: a new model
    assert.equal(readyModel(manager).isRunning, false, 'the new model does not watch while the view is hidden');
    assert.equal(current().length, before, 'and opened no transport');

    tree.setVisible(true);
    await until(
      () =>
        current().length > before &&
        current()
          .slice(before)
          .every((t) => t.watching === 1),
      'the new model watches',
    );
    assert.ok(
      current()
        .slice(0, before)
        .every((t) => t.watching === 0),
      'the old model stays closed',
    );
    assert.ok(manager.listenerCount > 0);
    tree.dispose();
    assert.equal(manager.listenerCount, 0, 'disposing the tree leaves no subscription on the manager or its session');
    manager.dispose();
    assert.ok(current().every((t) => t.watching === 0));
  });
});
