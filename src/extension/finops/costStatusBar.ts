import * as vscode from 'vscode';
import { summarizeCost } from '../../core/finops/cost';
import { summaryText, summaryTooltip } from '../../core/finops/present';
import type { ClusterModel } from '../../core/model/clusterModel';
import type { ClusterManager } from '../../core/clusterManager';
import { onDidChangeSettings, readSettings } from '../config';

/** Model changes arrive in bursts (a re-list touches every object); the sum is redone at most this often. */
const RENDER_EVERY_MS = 1000;

/**
 * "3 running · 5 hibernated · $0.42/h" for the sandboxes in view, from the live model and the
 * prices in settings; a click opens Hibernate Idle Sandboxes…. It reads only the model.
 */
export class CostStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('agentSandbox.cost', vscode.StatusBarAlignment.Left, 9);
  private readonly subs: vscode.Disposable[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly manager: ClusterManager) {
    this.item.name = 'Agent Sandbox cost';
    this.item.command = 'agentSandbox.hibernateIdle';
    this.subs.push(
      manager.onDidOpenReady(({ model }, scope) => void scope.add(model.onDidChange(() => this.schedule()))),
      manager.onDidChange(() => this.render()),
      manager.onDidChangeSessionState(() => this.render()),
      onDidChangeSettings((c) => {
        if (c.affects('cost')) this.render();
      }),
    );
    this.render();
  }

  private get model(): ClusterModel | undefined {
    const s = this.manager.session?.state;
    return s?.kind === 'ready' ? s.model : undefined;
  }

  private schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.render();
    }, RENDER_EVERY_MS);
  }

  private render(): void {
    const model = this.model;
    const sandboxes = model?.servedKinds.includes('Sandbox') ? model.all('Sandbox') : [];
    if (sandboxes.length === 0) {
      this.item.hide();
      return;
    }
    const prices = readSettings().prices;
    const summary = summarizeCost(sandboxes, prices);
    this.item.text = `$(dashboard) ${summaryText(summary, prices.currency)}`;
    const tip = new vscode.MarkdownString(summaryTooltip(summary, prices));
    this.item.tooltip = tip;
    this.item.show();
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const s of this.subs) s.dispose();
    this.item.dispose();
  }
}
