import * as vscode from 'vscode';
import { AgentTools } from '../core/agent/agentTools';
import { PreviewForwards } from '../core/agent/previews';
import { FILES_SCHEME } from '../core/files/uri';
import { ClusterManager } from '../core/clusterManager';
import { openWebSocket } from '../core/k8s/webSocket';
import { ActivityTracker } from '../core/finops/activity';
import { backendProvider } from './agent/agentBackend';
import type { CommandContext } from './commands/support';
import { readSettings } from './config';
import { SandboxFiles } from './files/sandboxFiles';
import { AutoHibernateRunner } from './finops/autoHibernateRunner';
import { CostStatusBar } from './finops/costStatusBar';
import { UsageRows } from './finops/usageRows';
import { ForwardManager } from './forwards/forwardManager';
import { Panels } from './panels/panels';
import { portTooltipSource } from './preview/portTooltip';
import { RouterTokens } from './preview/routerTokens';
import { sandboxActions } from './sandboxActions';
import { ContextStatusBar } from './statusBar';
import { restoreAfterReload } from './terminal/restoreAfterReload';
import { TerminalSessionService } from './terminal/terminalSessions';
import type { TreeNode } from '../core/tree/nodes';
import { SandboxTreeProvider } from './tree/provider';
import { TreeViewMessage } from './tree/viewMessage';
import { EDIT_SCHEME, EditableYamlProvider } from './yaml/editableYaml';
import { YamlSaveFeedback } from './yaml/saveFeedback';
import { YAML_SCHEME, YamlDocumentProvider } from './yaml/yamlDocuments';

/**
 * Every long-lived service, built once by createServices() and handed to the features: command
 * handlers get what CommandContext names, the feature registrations the rest they need.
 */
export interface Services extends CommandContext {
  readonly extensionUri: vscode.Uri;
  /** The extension's version (the MCP server definition carries it). */
  readonly version: string;
  readonly files: SandboxFiles;
  readonly forwards: ForwardManager;
  readonly tokens: RouterTokens;
  readonly panels: Panels;
  readonly agentTools: AgentTools;
}

/**
 * The composition root's first half: builds each service once, wires them to each other and to
 * VS Code (file systems, tree, status bars), and gives every disposable to the extension's
 * lifetime. Commands are registered afterwards, by activate(), from what this returns.
 */
export function createServices(context: vscode.ExtensionContext): Services {
  const own = <T extends vscode.Disposable>(d: T): T => {
    context.subscriptions.push(d);
    return d;
  };
  const log = own(vscode.window.createOutputChannel('Agent Sandbox', { log: true }));
  const manager = own(new ClusterManager({ memento: context.globalState, log, kubeconfigPath: () => readSettings().kubeconfig, openSocket: openWebSocket }));
  // The live model's UID for a sandbox: a record of one deleted and recreated under its name is not "used".
  const uidOf = (ref: { context: string; namespace: string; sandbox: string }) => {
    const s = manager.session;
    return s?.context === ref.context && s.state.kind === 'ready' ? s.state.model.get('Sandbox', ref.namespace, ref.sandbox)?.metadata.uid : undefined;
  };
  const activity = new ActivityTracker({ log, uidOf });
  const sessions = new TerminalSessionService(context.extensionPath, context.workspaceState, log);
  const tree = own(new SandboxTreeProvider(manager));
  // Resume on a refused file is the sandbox action below (declared after: it needs the files).
  const files = own(new SandboxFiles(manager, log, activity, (s) => actions.resume(s)));
  const treeView = own(
    vscode.window.createTreeView<TreeNode>('agentSandbox.explorer', {
      treeDataProvider: tree,
      showCollapseAll: true,
      canSelectMany: true,
      dragAndDropController: files,
    }),
  );
  const ctx: CommandContext = { manager, tree, treeView, log, activity, state: context.globalState, sessions };
  const forwards = own(new ForwardManager(log, activity));
  const tokens = new RouterTokens(context.secrets);
  const actions = sandboxActions(ctx, files, forwards, tokens);
  const panels = own(new Panels({ extensionUri: context.extensionUri, manager, log, activity }, actions));
  const previews = new PreviewForwards(log, (ref) => activity.touch(ref, 'agent-tool'));
  const agentTools = new AgentTools(backendProvider(manager, activity, previews, log));
  const editable = own(new EditableYamlProvider(manager, log));
  const autoHibernate = own(new AutoHibernateRunner(manager, activity, log));

  own(treeView.onDidChangeVisibility((e) => tree.setVisible(e.visible)));
  own(vscode.workspace.registerFileSystemProvider(FILES_SCHEME, files.provider, { isCaseSensitive: true }));
  own(files.attachTree(tree));
  // Partly writable (an object's `?server` view is not), so no `isReadonly`: see EditableYamlProvider.
  own(vscode.workspace.registerFileSystemProvider(EDIT_SCHEME, editable, { isCaseSensitive: true }));
  own(new YamlSaveFeedback(editable.onDidSave));
  own(vscode.workspace.registerTextDocumentContentProvider(YAML_SCHEME, own(new YamlDocumentProvider(manager))));
  own(tree.addTooltipSource(portTooltipSource(() => manager.session?.client)));
  own(new TreeViewMessage(manager, tree, treeView));
  own(new ContextStatusBar(manager));
  own(new UsageRows(manager, tree, treeView, activity, autoHibernate));
  own(new CostStatusBar(manager));
  own({ dispose: () => void previews.dispose() });
  own(restoreAfterReload(ctx));

  return {
    ...ctx,
    extensionUri: context.extensionUri,
    version: String((context.extension.packageJSON as { version?: string }).version ?? '0.0.0'),
    files,
    forwards,
    tokens,
    panels,
    agentTools,
  };
}
