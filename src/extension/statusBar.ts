import * as vscode from 'vscode';
import { contextTooltipMarkdown } from '../core/markdown';
import type { ClusterManager } from '../core/clusterManager';

/** Shows "context · namespaces"; a click switches the context. */
export class ContextStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('agentSandbox.context', vscode.StatusBarAlignment.Left, 10);
  private readonly subs: vscode.Disposable[] = [];

  constructor(private readonly manager: ClusterManager) {
    this.item.name = 'Agent Sandbox context';
    this.item.command = 'agentSandbox.switchContext';
    this.subs.push(
      manager.onDidChange(() => this.render()),
      manager.onDidChangeSessionState(() => this.render()),
    );
    this.render();
  }

  private render(): void {
    const state = this.manager.state;
    if (state.kind !== 'session') {
      this.item.text = '$(server-environment) Agent Sandbox: no kubeconfig';
      this.item.tooltip = 'No usable kubeconfig. Click to choose a context once one is configured.';
      this.item.show();
      return;
    }
    const session = state.session;
    const scope = this.manager.scopeFor(session.context);
    const ns = scope.all ? 'all namespaces' : scope.namespaces.join(', ');
    const icon = session.state.kind === 'unreachable' ? '$(error)' : session.state.kind === 'connecting' ? '$(loading~spin)' : '$(server-environment)';
    this.item.text = `${icon} ${session.context} · ${ns}`;
    this.item.tooltip = new vscode.MarkdownString(contextTooltipMarkdown(session.context, ns));
    this.item.show();
  }

  dispose(): void {
    for (const s of this.subs) s.dispose();
    this.item.dispose();
  }
}
