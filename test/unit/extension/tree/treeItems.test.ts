// src/extension/tree/treeItems.ts over the vscode mock: each kind of tree node becomes the row
// package.json's menus expect (contextValue flags matched by regex in `when` clauses), with the
// icon, description and tooltip the user sees.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as vscode from 'vscode'; // test/mocks/vscode.ts at run time
import type { ClusterModel } from '../../../../src/core/model/clusterModel';
import type { KubeObject } from '../../../../src/core/model/objects';
import type { SandboxState } from '../../../../src/core/model/sandbox';
import type { BucketNode, GroupNode, MessageNode, ResourceNode, TreeNode } from '../../../../src/core/tree/nodes';
import { resourceTooltip, sandboxContextValue, toTreeItem } from '../../../../src/extension/tree/treeItems';

const NOW = Date.parse('2026-08-01T12:00:00Z');
const ready = { type: 'Ready', status: 'True', reason: 'DependenciesReady', lastTransitionTime: '2026-08-01T11:00:00Z' };
const sandbox = (name: string, over: Partial<KubeObject> = {}): KubeObject => ({
  metadata: { name, namespace: 'ns', uid: name, creationTimestamp: '2026-08-01T11:00:00Z' },
  spec: { operatingMode: 'Running' },
  status: { conditions: [ready] },
  ...over,
});
const row = (kind: ResourceNode['kind'], object: KubeObject): ResourceNode => ({
  type: 'resource',
  id: `r/${kind}/${object.metadata.name}`,
  context: 'c',
  namespace: 'ns',
  kind,
  name: object.metadata.name,
  object,
});
const itemOf = (n: Exclude<TreeNode, { type: 'contributed' }>, model?: ClusterModel) => toTreeItem(n, model, NOW);
const icon = (n: Exclude<TreeNode, { type: 'contributed' }>) => {
  const i = itemOf(n).iconPath as vscode.ThemeIcon;
  return [i.id, i.color?.id];
};

describe('sandboxContextValue', () => {
  it('offers Hibernate while running or starting, Resume while hibernated or hibernating, nothing to an ended one', () => {
    const cases: Record<SandboxState, string> = {
      Running: 'sandbox state-Running canHibernate running',
      Starting: 'sandbox state-Starting canHibernate',
      Hibernating: 'sandbox state-Hibernating canResume',
      Hibernated: 'sandbox state-Hibernated canResume',
      Expired: 'sandbox state-Expired',
      Failed: 'sandbox state-Failed',
      Finished: 'sandbox state-Finished',
    };
    for (const [state, flags] of Object.entries(cases)) assert.equal(sandboxContextValue(state as SandboxState), flags);
  });
});

describe('toTreeItem', () => {
  it('a running sandbox: its name, a green VM icon, no children, the running flags', () => {
    const item = itemOf(row('Sandbox', sandbox('sb1')));
    assert.equal(item.label, 'sb1');
    assert.equal(item.id, 'r/Sandbox/sb1');
    assert.equal(item.collapsibleState, vscode.TreeItemCollapsibleState.None);
    assert.deepEqual(icon(row('Sandbox', sandbox('sb1'))), ['vm-running', 'charts.green']);
    assert.equal(item.contextValue, 'sandbox state-Running canHibernate running');
    assert.equal(typeof item.description, 'string');
  });

  it('a hibernated sandbox gets the pause icon and Resume, not Hibernate', () => {
    const sb = sandbox('sb2', { spec: { operatingMode: 'Suspended' }, status: { conditions: [{ type: 'Suspended', status: 'True' }] } });
    const item = itemOf(row('Sandbox', sb));
    assert.deepEqual(icon(row('Sandbox', sb)), ['debug-pause', 'charts.blue']);
    assert.match(item.contextValue ?? '', /\bcanResume\b/);
    assert.doesNotMatch(item.contextValue ?? '', /\bcanHibernate\b/);
  });

  it('marks a template without gVisor or Kata as not isolated', () => {
    const runc = { metadata: { name: 'plain', namespace: 'ns' }, spec: { podTemplate: { spec: { containers: [] } } } };
    const gvisor = { metadata: { name: 'safe', namespace: 'ns' }, spec: { podTemplate: { spec: { runtimeClassName: 'gvisor' } } } };
    assert.equal(itemOf(row('SandboxTemplate', runc)).contextValue, 'template notIsolated');
    assert.deepEqual(icon(row('SandboxTemplate', runc)), ['warning', 'list.warningForeground']);
    assert.equal(itemOf(row('SandboxTemplate', gvisor)).contextValue, 'template');
    assert.deepEqual(icon(row('SandboxTemplate', gvisor)), ['shield', undefined]);
  });

  it('a group counts its objects and opens only when it has some; the Sandboxes group offers Hibernate Idle', () => {
    const model = { list: (kind: string) => (kind === 'Sandbox' ? [sandbox('a'), sandbox('b')] : []) } as unknown as ClusterModel;
    const group = (kind: ResourceNode['kind']): GroupNode => ({ type: 'group', id: `g/${kind}`, context: 'c', namespace: 'ns', kind });
    const sandboxes = itemOf(group('Sandbox'), model);
    assert.equal(sandboxes.label, 'Sandboxes');
    assert.equal(sandboxes.description, '2');
    assert.equal(sandboxes.collapsibleState, vscode.TreeItemCollapsibleState.Expanded);
    assert.equal(sandboxes.contextValue, 'group group-Sandbox canHibernateIdle');
    const pools = itemOf(group('SandboxWarmPool'), model);
    assert.equal(pools.description, '0');
    assert.equal(pools.collapsibleState, vscode.TreeItemCollapsibleState.Collapsed);
    assert.equal(pools.contextValue, 'group group-SandboxWarmPool');
  });

  it('a bucket of hibernated sandboxes has no Hibernate Idle; running and owner buckets do', () => {
    const bucket = (key: string): BucketNode => ({ type: 'bucket', id: `b/${key}`, context: 'c', namespace: 'ns', key, label: key, count: 3 });
    assert.equal(itemOf(bucket('state:Hibernated')).contextValue, 'sandboxBucket');
    assert.equal(itemOf(bucket('state:Running')).contextValue, 'sandboxBucket canHibernateIdle');
    assert.equal(itemOf(bucket('pool:py')).contextValue, 'sandboxBucket canHibernateIdle');
    assert.deepEqual(icon(bucket('pool:py')), ['layers', undefined]);
    assert.deepEqual(icon(bucket('state:Hibernated')), ['debug-pause', 'charts.blue']);
  });

  it('an error message row: red error icon, its detail as tooltip, actionable when it has a command', () => {
    const command = { command: 'agentSandbox.retry', title: 'Retry' };
    const node: MessageNode = { type: 'message', id: 'm', text: 'Cannot reach the cluster', detail: 'ECONNREFUSED', severity: 'error', command };
    const item = itemOf(node);
    assert.equal(item.label, 'Cannot reach the cluster');
    assert.deepEqual(icon(node), ['error', 'errorForeground']);
    assert.equal((item.tooltip as vscode.MarkdownString).value, 'ECONNREFUSED');
    assert.deepEqual(item.command, command);
    assert.equal(item.contextValue, 'message actionable');
    assert.equal(itemOf({ ...node, command: undefined, severity: 'loading' }).contextValue, 'message');
    assert.deepEqual(icon({ ...node, severity: 'loading' }), ['loading~spin', undefined]);
  });
});

describe('resourceTooltip', () => {
  it('says a claim came from an agent, with theme icons on for the $(hubot) line', () => {
    const claim = (labels: Record<string, string>): KubeObject => ({ metadata: { name: 'job', namespace: 'ns', labels }, spec: {}, status: {} });
    const agent = resourceTooltip(row('SandboxClaim', claim({ 'agents.x-k8s.io/created-by': 'vscode-agent' })), undefined, NOW);
    assert.match(agent.value, /\$\(hubot\) _Claimed by an agent/);
    assert.equal(agent.supportThemeIcons, true);
    const own = resourceTooltip(row('SandboxClaim', claim({})), undefined, NOW);
    assert.doesNotMatch(own.value, /Claimed by an agent/);
    assert.match(itemOf(row('SandboxClaim', claim({ 'agents.x-k8s.io/created-by': 'vscode-agent' }))).description as string, /^agent · /);
  });
});
