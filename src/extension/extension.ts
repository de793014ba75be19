import * as vscode from 'vscode';
import { ClusterManager } from './clusterManager';
import { registerClaimCommands } from './commands/claimCommands';
import { registerContextCommands } from './commands/contextCommands';
import { registerInspectCommands } from './commands/inspectCommands';
import { registerLifecycleCommands } from './commands/lifecycleCommands';
import { registerPoolCommands } from './commands/poolCommands';
import type { CommandContext } from './commands/support';
import { affectsSettings } from './config';
import { ContextStatusBar } from './statusBar';
import { SandboxTreeProvider } from './tree/provider';
import type { TreeNode } from './tree/nodes';
import { YAML_SCHEME, YamlDocumentProvider } from './yaml/yamlDocuments';

/** The composition root: builds every service once and hands each its dependencies. */
export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('Agent Sandbox', { log: true });
  const manager = new ClusterManager(context.globalState, log);
  const tree = new SandboxTreeProvider(manager);
  const treeView = vscode.window.createTreeView<TreeNode>('agentSandbox.explorer', { treeDataProvider: tree, showCollapseAll: true, canSelectMany: true });
  const ctx: CommandContext = { manager, tree, treeView, log };

  context.subscriptions.push(
    log,
    manager,
    tree,
    treeView,
    new ContextStatusBar(manager),
    treeView.onDidChangeVisibility((e) => tree.setVisible(e.visible)),
    vscode.workspace.registerTextDocumentContentProvider(YAML_SCHEME, new YamlDocumentProvider(manager)),
    manager.onDidChange((s) => void vscode.commands.executeCommand('setContext', 'agentSandbox.noKubeconfig', s.kind === 'no-kubeconfig')),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('agentSandbox.kubeconfig')) manager.reload();
      else if (affectsSettings(e)) log.info('settings changed');
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(() => manager.reload()),
    ...registerContextCommands(ctx),
    ...registerLifecycleCommands(ctx),
    ...registerClaimCommands(ctx),
    ...registerPoolCommands(ctx),
    ...registerInspectCommands(ctx),
  );

  manager.reload();
  tree.setVisible(treeView.visible);
  log.info(`Agent Sandbox activated (${vscode.workspace.isTrusted ? 'trusted' : 'restricted'} workspace)`);
}

export function deactivate(): void {
  // Everything is owned by context.subscriptions and disposed by VS Code.
}
