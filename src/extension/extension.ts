import * as vscode from 'vscode';
import { AgentTools } from '../core/agent/agentTools';
import { PreviewForwards } from '../core/agent/previews';
import { ActivityTracker } from '../core/finops/activity';
import { backendProvider } from './agent/agentBackend';
import { registerLanguageModelTools } from './agent/lmTools';
import { registerMcpProvider } from './agent/mcpProvider';
import { registerAgentCommands } from './commands/agentCommands';
import { ClusterManager } from './clusterManager';
import { registerClaimCommands } from './commands/claimCommands';
import { registerContextCommands } from './commands/contextCommands';
import { registerFileCommands } from './commands/fileCommands';
import { registerFinopsCommands } from './commands/finopsCommands';
import { registerTreeCommands } from './commands/treeCommands';
import { registerInspectCommands } from './commands/inspectCommands';
import { registerInsightCommands } from './commands/insightCommands';
import { registerLifecycleCommands } from './commands/lifecycleCommands';
import { registerPoolCommands } from './commands/poolCommands';
import type { CommandContext } from './commands/support';
import { registerSearchCommands } from './commands/searchCommands';
import { registerSessionCommands } from './commands/sessionCommands';
import { registerTerminalCommands } from './commands/terminalCommands';
import { onDidChangeSettings } from './config';
import { SandboxFiles } from './files/sandboxFiles';
import { RouterTokens } from './preview/routerTokens';
import { startFinops } from './finops/finops';
import { ContextStatusBar } from './statusBar';
import { TerminalSessionService } from './terminal/terminalSessions';
import { SandboxTreeProvider } from './tree/provider';
import type { TreeNode } from './tree/nodes';
import { YAML_SCHEME, YamlDocumentProvider } from './yaml/yamlDocuments';

/** The composition root: builds every service once and hands each its dependencies. */
export function activate(context: vscode.ExtensionContext): void {
  const started = Date.now();
  const log = vscode.window.createOutputChannel('Agent Sandbox', { log: true });
  const manager = new ClusterManager(context.globalState, log);
  // The live model's UID for a sandbox: a record of one deleted and recreated under its name is not "used".
  const uidOf = (ref: { context: string; namespace: string; sandbox: string }) => {
    const s = manager.session;
    return s?.context === ref.context && s.state.kind === 'ready' ? s.state.model.get('Sandbox', ref.namespace, ref.sandbox)?.metadata.uid : undefined;
  };
  const activity = new ActivityTracker({ log, uidOf });
  const tree = new SandboxTreeProvider(manager);
  const files = new SandboxFiles(manager, log, activity);
  const treeView = vscode.window.createTreeView<TreeNode>('agentSandbox.explorer', { treeDataProvider: tree, showCollapseAll: true, canSelectMany: true, dragAndDropController: files });
  const sessions = new TerminalSessionService(context.extensionPath, context.workspaceState, log);
  shutdownHook = () => sessions.shutdown();
  const ctx: CommandContext = { manager, tree, treeView, log, activity, state: context.globalState, sessions };
  const previews = new PreviewForwards(log, (ref) => activity.touch(ref, 'agent-tool'));
  const agentTools = new AgentTools(backendProvider(manager, activity, previews, log));

  context.subscriptions.push(
    log,
    manager,
    tree,
    treeView,
    new ContextStatusBar(manager),
    treeView.onDidChangeVisibility((e) => tree.setVisible(e.visible)),
    vscode.workspace.registerTextDocumentContentProvider(YAML_SCHEME, new YamlDocumentProvider(manager)),
    manager.onDidChange((s) => void vscode.commands.executeCommand('setContext', 'agentSandbox.noKubeconfig', s.kind === 'no-kubeconfig')),
    onDidChangeSettings((c) => {
      if (c.needsReconnect) manager.reload();
      else log.info('settings changed');
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(() => manager.reload()),
    ...registerContextCommands(ctx),
    ...registerLifecycleCommands(ctx),
    ...registerClaimCommands(ctx),
    ...registerPoolCommands(ctx),
    ...registerInspectCommands(ctx),
    ...registerInsightCommands(ctx, context.extensionUri, new RouterTokens(context.secrets)),
    ...registerTerminalCommands(ctx),
    ...registerSessionCommands(ctx),
    ...registerFileCommands(ctx, files),
    ...registerSearchCommands(ctx, files),
    ...startFinops(ctx, activity),
    ...registerFinopsCommands(ctx),
    ...registerTreeCommands(ctx),
    { dispose: () => void previews.dispose() },
    ...registerLanguageModelTools(agentTools),
    ...registerMcpProvider(context.extensionUri, manager, String(context.extension.packageJSON.version ?? '0.0.0')),
    ...registerAgentCommands(ctx, agentTools.calls),
  );

  manager.reload();
  tree.setVisible(treeView.visible);
  log.info(`Agent Sandbox activated in ${Date.now() - started} ms (${vscode.workspace.isTrusted ? 'trusted' : 'restricted'} workspace)`);
}

/** Set by activate(): from deactivation on, a terminal that closes keeps its sandbox session (a reload). */
let shutdownHook: (() => void) | undefined;

export function deactivate(): void {
  // Everything else is owned by context.subscriptions and disposed by VS Code.
  shutdownHook?.();
}
