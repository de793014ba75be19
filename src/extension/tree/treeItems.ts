import * as vscode from 'vscode';
import { isAgentClaim } from '../../core/agent/claimBody';
import { claimStatus } from '../../core/model/claim';
import { sandboxProblem } from '../../core/model/podProblem';
import type { ClusterModel } from '../../core/model/clusterModel';
import { poolTemplateName } from '../../core/model/pool';
import {
  claimDescription,
  claimTooltip,
  poolDescription,
  poolTooltip,
  sandboxDescription,
  sandboxTooltip,
  templateDescription,
  templateTooltip,
} from '../../core/model/present';
import { isIsolated, runtimeClassOf, SandboxState, sandboxState } from '../../core/model/sandbox';
import { ContributedNode, GROUP_TITLES, MessageNode, ResourceNode, TreeNode } from '../../core/tree/nodes';

const STATE_ICONS: Record<SandboxState, vscode.ThemeIcon> = {
  Running: new vscode.ThemeIcon('vm-running', new vscode.ThemeColor('charts.green')),
  Starting: new vscode.ThemeIcon('loading~spin'),
  Hibernating: new vscode.ThemeIcon('loading~spin', new vscode.ThemeColor('charts.blue')),
  Hibernated: new vscode.ThemeIcon('debug-pause', new vscode.ThemeColor('charts.blue')),
  Expired: new vscode.ThemeIcon('watch', new vscode.ThemeColor('disabledForeground')),
  Failed: new vscode.ThemeIcon('error', new vscode.ThemeColor('charts.red')),
  Finished: new vscode.ThemeIcon('pass', new vscode.ThemeColor('disabledForeground')),
};

/** contextValue flags, matched by regex in package.json `when` clauses. */
export function sandboxContextValue(state: SandboxState): string {
  const flags = ['sandbox', `state-${state}`];
  if (state === 'Running' || state === 'Starting') flags.push('canHibernate');
  if (state === 'Hibernated' || state === 'Hibernating') flags.push('canResume');
  if (state === 'Running') flags.push('running');
  return flags.join(' ');
}

export function toTreeItem(node: Exclude<TreeNode, ContributedNode>, model: ClusterModel | undefined, now: number): vscode.TreeItem {
  switch (node.type) {
    case 'context': {
      const item = new vscode.TreeItem(node.context, vscode.TreeItemCollapsibleState.Expanded);
      item.iconPath = new vscode.ThemeIcon('server-environment');
      item.contextValue = 'context';
      item.id = node.id;
      return item;
    }
    case 'message':
      return messageItem(node);
    case 'namespace': {
      const item = new vscode.TreeItem(node.namespace, node.collapsed ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.Expanded);
      item.iconPath = new vscode.ThemeIcon('symbol-namespace');
      item.contextValue = 'namespace';
      item.id = node.id;
      return item;
    }
    case 'group': {
      const count = model ? model.list(node.kind, node.namespace).length : 0;
      const item = new vscode.TreeItem(GROUP_TITLES[node.kind], count ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed);
      item.description = String(count);
      item.contextValue = `group group-${node.kind}${node.kind === 'Sandbox' ? ' canHibernateIdle' : ''}`;
      item.id = node.id;
      return item;
    }
    case 'bucket': {
      const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.Collapsed);
      item.description = String(node.count);
      item.iconPath = node.key.startsWith('state:')
        ? STATE_ICONS[node.key.slice(6) as SandboxState]
        : new vscode.ThemeIcon(node.key.startsWith('pool:') ? 'layers' : node.key.startsWith('claim:') ? 'link' : 'circle-outline');
      item.contextValue = `sandboxBucket${node.key === 'state:Running' || !node.key.startsWith('state:') ? ' canHibernateIdle' : ''}`;
      item.id = node.id;
      return item;
    }
    case 'resource':
      return resourceItem(node, model, now);
  }
}

function messageItem(node: MessageNode): vscode.TreeItem {
  const item = new vscode.TreeItem(node.text, vscode.TreeItemCollapsibleState.None);
  item.id = node.id;
  item.iconPath =
    node.severity === 'loading'
      ? new vscode.ThemeIcon('loading~spin')
      : new vscode.ThemeIcon(
          node.severity === 'error' ? 'error' : node.severity === 'warning' ? 'warning' : 'info',
          node.severity === 'error' ? new vscode.ThemeColor('errorForeground') : undefined,
        );
  if (node.detail) item.tooltip = new vscode.MarkdownString(node.detail);
  if (node.command) item.command = node.command;
  item.contextValue = `message${node.command ? ' actionable' : ''}`;
  return item;
}

function resourceItem(node: ResourceNode, model: ClusterModel | undefined, now: number): vscode.TreeItem {
  const obj = node.object;
  const item = new vscode.TreeItem(node.name);
  item.id = node.id;
  switch (node.kind) {
    case 'Sandbox': {
      const state = sandboxState(obj);
      item.collapsibleState = vscode.TreeItemCollapsibleState.None;
      item.iconPath = STATE_ICONS[state];
      item.description = withAgentBadge(
        sandboxDescription(obj, now, model && sandboxProblem(obj, model.sandboxPod(obj))),
        isAgentClaim(model?.sandboxClaim(obj)),
      );
      item.contextValue = sandboxContextValue(state);
      break;
    }
    case 'SandboxWarmPool': {
      const template = model?.get('SandboxTemplate', node.namespace, poolTemplateName(obj) ?? '');
      const members = model?.poolMembers(obj).length ?? 0;
      item.collapsibleState = members ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None;
      item.iconPath = new vscode.ThemeIcon('flame');
      item.description = poolDescription(obj, template);
      item.contextValue = 'pool';
      break;
    }
    case 'SandboxClaim': {
      const st = claimStatus(obj).status;
      item.collapsibleState = model?.claimSandbox(obj) ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None;
      item.iconPath = new vscode.ThemeIcon(
        st === 'Ready' ? 'link' : st === 'Failed' ? 'error' : st === 'Hibernated' ? 'debug-pause' : st === 'Expired' ? 'history' : 'loading~spin',
      );
      item.description = withAgentBadge(claimDescription(obj, now), isAgentClaim(obj));
      const sb = model?.claimSandbox(obj);
      const flags = ['claim'];
      if (sb)
        flags.push(
          ...sandboxContextValue(sandboxState(sb))
            .split(' ')
            .filter((f) => f !== 'sandbox'),
        );
      item.contextValue = flags.join(' ');
      break;
    }
    case 'SandboxTemplate': {
      const isolated = isIsolated(runtimeClassOf(obj));
      item.collapsibleState = vscode.TreeItemCollapsibleState.None;
      item.iconPath = isolated ? new vscode.ThemeIcon('shield') : new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'));
      item.description = templateDescription(obj);
      item.contextValue = `template${isolated ? '' : ' notIsolated'}`;
      break;
    }
  }
  return item;
}

/** Sandboxes an agent claimed (label created-by: vscode-agent) say so first in their row. */
function withAgentBadge(description: string, agent: boolean): string {
  return agent ? `agent · ${description}` : description;
}

const AGENT_LINE = '\n\n$(hubot) _Claimed by an agent (language-model tool or MCP server) from VS Code._';

/** The Markdown tooltip of a resource row, built when the user hovers it. */
export function resourceTooltip(node: ResourceNode, model: ClusterModel | undefined, now: number): vscode.MarkdownString {
  const obj = node.object;
  switch (node.kind) {
    case 'Sandbox':
      return new vscode.MarkdownString(
        sandboxTooltip(obj, now, model && sandboxProblem(obj, model.sandboxPod(obj))) + (isAgentClaim(model?.sandboxClaim(obj)) ? AGENT_LINE : ''),
        true,
      );
    case 'SandboxWarmPool':
      return new vscode.MarkdownString(poolTooltip(obj, model?.get('SandboxTemplate', node.namespace, poolTemplateName(obj) ?? '')));
    case 'SandboxClaim':
      return new vscode.MarkdownString(claimTooltip(obj, now) + (isAgentClaim(obj) ? AGENT_LINE : ''), true);
    case 'SandboxTemplate':
      return new vscode.MarkdownString(templateTooltip(obj));
  }
}
