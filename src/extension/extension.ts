import * as vscode from 'vscode';
import { registerLanguageModelTools } from './agent/lmTools';
import { registerMcpProvider } from './agent/mcpProvider';
import { registerAgentCommands } from './commands/agent/showAgentActivity';
import { registerClaimCommands } from './commands/claim/newClaim';
import { registerContextCommands } from './commands/context/chooseNamespaces';
import { registerFileCommands } from './commands/file/uploadFiles';
import { registerFinopsCommands } from './commands/finops/hibernateIdleSandboxes';
import { registerInsightCommands } from './commands/sandbox/showSandboxDetails';
import { registerInspectCommands } from './commands/resource/copyServiceFqdn';
import { registerLifecycleCommands } from './commands/sandbox/hibernateSandbox';
import { registerPoolCommands } from './commands/pool/scalePool';
import { registerSearchCommands } from './commands/file/searchFiles';
import { registerSessionCommands } from './commands/session/showSessions';
import { registerTerminalCommands } from './commands/terminal/runCommandInSandbox';
import { registerTreeCommands } from './commands/view/revealSandbox';
import { onDidChangeSettings } from './config';
import { createServices } from './services';

/**
 * The composition root: createServices() builds every service once; the register* functions
 * below only register commands, tools and providers on what it built.
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
    ...registerContextCommands(services),
    ...registerLifecycleCommands(services),
    ...registerClaimCommands(services),
    ...registerPoolCommands(services),
    ...registerInspectCommands(services),
    ...registerInsightCommands(services),
    ...registerTerminalCommands(services),
    ...registerSessionCommands(services),
    ...registerFileCommands(services),
    ...registerSearchCommands(services),
    ...registerFinopsCommands(services),
    ...registerTreeCommands(services),
    ...registerLanguageModelTools(services.agentTools),
    ...registerMcpProvider(services.extensionUri, manager, services.version),
    ...registerAgentCommands(services, services.agentTools.calls),
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
