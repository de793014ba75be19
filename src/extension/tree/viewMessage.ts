import * as vscode from 'vscode';
import type { ClusterManager } from '../../core/clusterManager';
import { describeFilter, isEmptyFilter } from '../../core/tree/sandboxFilter';
import { onDidChangeSettings, readSettings } from '../config';
import type { TreeNode } from '../../core/tree/nodes';
import type { SandboxTreeProvider } from './provider';

/** How often at most the filtered counts in the view's message follow the model (a fleet changes constantly). */
const COUNTS_EVERY_MS = 500;

/**
 * The Sandboxes view's chrome: the "Filtered: … — N of M" message, the context keys its title
 * buttons use (filtered, grouping), and the grouping threshold from settings.
 */
export class TreeViewMessage implements vscode.Disposable {
  private readonly subs: vscode.Disposable[] = [];
  private pending: ReturnType<typeof setTimeout> | undefined;

  constructor(
    manager: ClusterManager,
    private readonly tree: SandboxTreeProvider,
    private readonly treeView: vscode.TreeView<TreeNode>,
  ) {
    const settings = (): void => tree.setGroupThreshold(readSettings().treeGroupThreshold);
    settings();
    this.show();
    this.subs.push(
      tree.onDidChangeView(() => this.show()),
      manager.onDidChange(() => this.show()),
      manager.onDidOpenReady(({ model }, scope) => {
        scope.add(
          model.onDidChange(() => {
            if (!tree.filtered || this.pending) return;
            this.pending = setTimeout(() => ((this.pending = undefined), this.show()), COUNTS_EVERY_MS);
          }),
        );
      }),
      onDidChangeSettings((c) => c.affects('tree') && settings()),
    );
  }

  private show(): void {
    const filter = this.tree.sandboxFilter;
    const filtered = !isEmptyFilter(filter);
    void vscode.commands.executeCommand('setContext', 'agentSandbox.filtered', filtered);
    void vscode.commands.executeCommand('setContext', 'agentSandbox.groupBy', this.tree.grouping);
    if (!filtered) {
      // VS Code's typings predate exactOptionalPropertyTypes: undefined is how a message is cleared.
      (this.treeView as { message?: string | undefined }).message = undefined;
      return;
    }
    const { shown, total } = this.tree.filterCounts();
    this.treeView.message = `Filtered: ${describeFilter(filter)} — ${shown} of ${total} sandboxes. Clear it with the ✕ in the title bar.`;
  }

  dispose(): void {
    if (this.pending) clearTimeout(this.pending);
    for (const s of this.subs) s.dispose();
  }
}
