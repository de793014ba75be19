// src/extension/tree/provider.ts over the vscode mock and a scripted cluster: the rows the view
// gets, the refresh events it is sent, and the hooks other features add rows, text and tooltips through.
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import * as vscode from 'vscode'; // test/mocks/vscode.ts at run time
import type { KubeObject } from '../../../../src/core/model/objects';
import type { ResourceNode, TreeNode } from '../../../../src/core/tree/nodes';
import { SandboxTreeProvider } from '../../../../src/extension/tree/provider';
import { readyModel, scriptedCluster, until } from '../../support/scriptedCluster';

const sb = (name: string, rv = '1'): KubeObject => ({
  metadata: { name, namespace: 'ns', resourceVersion: rv, uid: name },
  spec: { operatingMode: 'Running' },
  status: { conditions: [{ type: 'Ready', status: 'True' }] },
});

/** Disposed after each test, failed ones too: a live provider's timers would keep the run from ending. */
const live: { dispose(): void }[] = [];
afterEach(() => live.splice(0).forEach((d) => d.dispose()));

async function shownProvider() {
  const { manager, current } = scriptedCluster({ Sandbox: [sb('sb1')] });
  const provider = new SandboxTreeProvider(manager);
  live.push(provider, manager);
  const events: (TreeNode | undefined)[] = [];
  provider.onDidChangeTreeData((n) => events.push(n));
  manager.reload();
  await manager.session?.connect();
  let changes = 0;
  readyModel(manager).onDidChange(() => changes++);
  provider.setVisible(true);
  await until(() => current().length > 0 && current().every((t) => t.watching === 1), 'the model watches');
  await until(() => changes > 0 && readyModel(manager).namespaces().length === 1, 'the first listing');
  /** Every row the view would show with all of them expanded. */
  const rows = (node?: TreeNode): TreeNode[] => {
    const children = provider.getChildren(node) as TreeNode[];
    return [...children, ...children.filter((c) => c.type !== 'contributed').flatMap((c) => rows(c))];
  };
  const sandboxRow = () => rows().find((n): n is ResourceNode => n.type === 'resource' && n.name === 'sb1');
  return { provider, events, rows, sandboxRow, current };
}

describe('SandboxTreeProvider', () => {
  it('shows the sandbox row, and a watch event refreshes exactly that row', async () => {
    const { provider, events, sandboxRow, current } = await shownProvider();
    const row = sandboxRow();
    assert.ok(row, 'the sandbox has a row');
    const item = provider.getTreeItem(row);
    assert.equal(item.label, 'sb1');
    assert.equal(item.collapsibleState, vscode.TreeItemCollapsibleState.None);
    events.length = 0;
    current()
      .find((t) => t.kind === 'Sandbox')
      ?.emit({ type: 'MODIFIED', object: sb('sb1', '2') });
    await until(() => events.length > 0, 'a refresh event');
    assert.deepEqual(events, [row]);
  });

  it('a row contribution adds children under resources, makes the row expandable, and only one is allowed', async () => {
    const { provider, events, sandboxRow } = await shownProvider();
    const row = sandboxRow();
    assert.ok(row);
    events.length = 0;
    const files: TreeNode = { type: 'contributed', id: 'files/sb1' };
    const sub = provider.setContribution({
      childrenOf: (parent) => (parent.kind === 'Sandbox' ? [files] : []),
      children: async () => [],
      treeItem: (node) => new vscode.TreeItem(`Files of ${node.id}`),
    });
    assert.deepEqual(events, [undefined], 'the whole tree is redrawn once');
    assert.deepEqual(provider.getChildren(row), [files]);
    assert.equal(provider.getTreeItem(row).collapsibleState, vscode.TreeItemCollapsibleState.Collapsed);
    assert.equal(provider.getTreeItem(files).label, 'Files of files/sb1');
    assert.throws(() => provider.setContribution({ childrenOf: () => [], children: () => [], treeItem: () => new vscode.TreeItem('x') }), /already has/);
    sub.dispose();
    assert.deepEqual(provider.getChildren(row), []);
    assert.equal(provider.getTreeItem(row).collapsibleState, vscode.TreeItemCollapsibleState.None);
  });

  it('annotators append to the description in the order they were added, until disposed', async () => {
    const { provider, sandboxRow } = await shownProvider();
    const row = sandboxRow();
    assert.ok(row);
    const plain = provider.getTreeItem(row).description;
    const idle = provider.addAnnotator({ description: () => 'idle 3h', tooltip: () => undefined });
    provider.addAnnotator({ description: () => '$0.12', tooltip: () => undefined });
    assert.equal(provider.getTreeItem(row).description, `${plain} · idle 3h · $0.12`);
    idle.dispose();
    assert.equal(provider.getTreeItem(row).description, `${plain} · $0.12`);
  });

  it('builds the tooltip on hover; only commands a tooltip source names may run from its links', async () => {
    const { provider, sandboxRow } = await shownProvider();
    const row = sandboxRow();
    assert.ok(row);
    provider.addAnnotator({ description: () => undefined, tooltip: () => 'Idle for **3h**' });
    const untrusted = (await provider.resolveTreeItem(new vscode.TreeItem('sb1'), row)).tooltip as vscode.MarkdownString;
    assert.match(untrusted.value, /Idle for \*\*3h\*\*/);
    assert.equal(untrusted.isTrusted, undefined, 'no command links without a source naming them');

    provider.addTooltipSource(async () => ({ markdown: '[Open 8080](command:agentSandbox.openPreview)', commands: ['agentSandbox.openPreview'] }));
    provider.addTooltipSource(() => Promise.reject(new Error('port scan failed')));
    const tip = (await provider.resolveTreeItem(new vscode.TreeItem('sb1'), row)).tooltip as vscode.MarkdownString;
    assert.match(tip.value, /Idle for \*\*3h\*\*\n\n\[Open 8080\]/);
    assert.deepEqual(tip.isTrusted, { enabledCommands: ['agentSandbox.openPreview'] });
  });
});
