import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ClusterManager } from '../../core/clusterManager';
import { onDidChangeSettings, readSettings } from '../config';

export const MCP_PROVIDER_ID = 'agentSandbox.mcp';

/**
 * Offers the bundled MCP server (dist/mcp.js) for the current context, so MCP-only clients in
 * VS Code find it without a config file. VS Code asks before each MCP tool call, so the server
 * gets the change flags; deleting stays off (it is never pre-approved) and runc follows the setting.
 */
export function registerMcpProvider(extensionUri: vscode.Uri, manager: ClusterManager, version: string): vscode.Disposable[] {
  const changed = new vscode.EventEmitter<void>();
  const provider: vscode.McpServerDefinitionProvider = {
    onDidChangeMcpServerDefinitions: changed.event,
    provideMcpServerDefinitions: () => {
      const state = manager.state;
      if (state.kind !== 'session') return [];
      const session = state.session;
      const args = [path.join(extensionUri.fsPath, 'dist', 'mcp.js'), '--context', session.context];
      if (session.scope.all) args.push('--all-namespaces');
      else for (const ns of session.scope.namespaces) args.push('--namespace', ns);
      args.push('--allow-run', '--allow-write', '--allow-claim', '--allow-lifecycle', '--allow-preview');
      if (readSettings().agentAllowUnisolatedRun) args.push('--allow-unisolated-run');
      // The same kubeconfig files the window uses; ELECTRON_RUN_AS_NODE makes desktop VS Code's binary a plain Node.
      const env = { KUBECONFIG: state.kubeconfig.source.files.join(path.delimiter), ELECTRON_RUN_AS_NODE: '1' };
      return [new vscode.McpStdioServerDefinition(`Agent Sandbox (${session.context})`, process.execPath, args, env, version)];
    },
  };
  return [
    changed,
    vscode.lm.registerMcpServerDefinitionProvider(MCP_PROVIDER_ID, provider),
    manager.onDidChange(() => changed.fire()),
    onDidChangeSettings((c) => {
      if (c.affects('agent')) changed.fire();
    }),
  ];
}
