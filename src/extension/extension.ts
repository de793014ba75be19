import * as vscode from 'vscode';
import { registerLanguageModelTools } from './agent/lmTools';
import { registerMcpProvider } from './agent/mcpProvider';
import { registerCommands } from './commands/registerCommands';
import { registerTerminalProfile } from './commands/terminal/terminalProfile';
import { onDidChangeSettings } from './config';
import { createServices } from './services';

/**
 * The composition root: createServices() builds every service once; the register* functions
 * below only register commands (one table: commands/registerCommands.ts), tools and providers on
 * what it built.
 */
export function activate(context: vscode.ExtensionContext): void {
  const started = Date.now();
  const services = createServices(context);
  const { manager, log } = services;
  shutdownHook = () => services.sessions.shutdown();

  context.subscriptions.push(
    manager.onDidChange((s) => void vscode.commands.executeCommand('setContext', 'agentSandbox.noKubeconfig', s.kind === 'no-kubeconfig')),
    onDidChangeSettings((c) => {
      if (c.needsReconnect) manager.reload();
      else log.info('settings changed');
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(() => manager.reload()),
    ...registerCommands(services),
    registerTerminalProfile(services),
    ...registerLanguageModelTools(services.agentTools),
    ...registerMcpProvider(services.extensionUri, manager, services.version),
  );

  manager.reload();
  services.tree.setVisible(services.treeView.visible);
  log.info(`Agent Sandbox activated in ${Date.now() - started} ms (${vscode.workspace.isTrusted ? 'trusted' : 'restricted'} workspace)`);
}

/** Set by activate(): from deactivation on, a terminal that closes keeps its sandbox session (a reload). */
let shutdownHook: (() => void) | undefined;

export function deactivate(): void {
  // Everything else is owned by context.subscriptions and disposed by VS Code.
  shutdownHook?.();
}
