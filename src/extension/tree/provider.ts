import * as vscode from 'vscode';
import type { ClusterManager } from '../../core/clusterManager';
import type { ClusterModel } from '../../core/model/clusterModel';
import type { ContributedNode, ResourceNode, TreeNode } from '../../core/tree/nodes';
import { SandboxTree } from '../../core/tree/sandboxTree';
import { resourceTooltip, toTreeItem } from './treeItems';

/** The hook another feature (sandbox files) uses to add rows under resource nodes; the provider stays unaware of what they are. */
export interface TreeContribution {
  /** Extra children after a resource node's own (e.g. "Files" under a running sandbox). */
  childrenOf(parent: ResourceNode): TreeNode[];
  children(node: ContributedNode): TreeNode[] | Thenable<TreeNode[]>;
  treeItem(node: ContributedNode): vscode.TreeItem;
}

/** Extra text another feature (finops: idle time, cost, auto-hibernated) adds to resource rows; the provider stays unaware of what it means. */
export interface RowAnnotator {
  /** Appended to the row's description after " · ". */
  description(node: ResourceNode, now: number): string | undefined;
  /** Markdown appended to the row's tooltip. */
  tooltip(node: ResourceNode, model: ClusterModel | undefined, now: number): string | undefined;
}

/** Tooltip text read on hover (e.g. a sandbox's listening ports); may add trusted command links. */
export type TooltipSource = (node: ResourceNode, model: ClusterModel | undefined) => Promise<{ markdown: string; commands: string[] } | undefined>;

/**
 * The VS Code face of SandboxTree (core): tree items and tooltips for its rows, the rows other
 * features add (a contribution, annotators, tooltip sources), and the view's refresh events.
 */
export class SandboxTreeProvider extends SandboxTree implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  private readonly forward = this.onDidChangeRows((node) => this.emitter.fire(node));
  private contribution: TreeContribution | undefined;
  private readonly annotators: RowAnnotator[] = [];
  private readonly tooltipSources: TooltipSource[] = [];
  private readonly expiryTicker = setInterval(() => this.refreshExpiring(), 30_000);

  constructor(manager: ClusterManager) {
    super(manager);
  }

  /** One feature adds rows (the Files nodes); a second would silently replace it, so it is refused. */
  setContribution(contribution: TreeContribution): vscode.Disposable {
    if (this.contribution) throw new Error('the Sandboxes tree already has a row contribution');
    this.contribution = contribution;
    this.emitter.fire(undefined);
    return new vscode.Disposable(() => {
      if (this.contribution === contribution) this.contribution = undefined;
    });
  }

  /** Row annotators add up: each one's text is appended in the order they were added. */
  addAnnotator(annotator: RowAnnotator): vscode.Disposable {
    return this.addTo(this.annotators, annotator);
  }

  addTooltipSource(source: TooltipSource): vscode.Disposable {
    return this.addTo(this.tooltipSources, source);
  }

  private addTo<T>(list: T[], item: T): vscode.Disposable {
    list.push(item);
    this.emitter.fire(undefined);
    return new vscode.Disposable(() => {
      const i = list.indexOf(item);
      if (i >= 0) list.splice(i, 1);
    });
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    if (node.type === 'group' && node.kind === 'Sandbox') {
      const item = toTreeItem(node, this.model, Date.now());
      const total = this.model?.list('Sandbox', node.namespace).length ?? 0;
      if (this.filtered) {
        const shown = this.visibleSandboxes(node.namespace).length;
        item.description = `${shown} of ${total}`;
        item.collapsibleState = shown ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed;
      }
      return item;
    }
    if (node.type === 'bucket') return toTreeItem(node, this.model, Date.now());
    if (node.type === 'contributed') return this.contribution?.treeItem(node) ?? new vscode.TreeItem(node.id);
    if (node.type === 'resource') node.object = this.model?.get(node.kind, node.namespace, node.name) ?? node.object;
    const item = toTreeItem(node, this.model, Date.now());
    if (node.type === 'resource') {
      const now = Date.now();
      for (const a of this.annotators) {
        const extra = a.description(node, now);
        if (extra) item.description = item.description ? `${item.description} · ${extra}` : extra;
      }
    }
    if (node.type === 'resource' && item.collapsibleState === vscode.TreeItemCollapsibleState.None && this.contribution?.childrenOf(node).length) {
      item.collapsibleState = vscode.TreeItemCollapsibleState.Collapsed;
    }
    return item;
  }

  /** Tooltips are built on hover only: a large tree renders without building thousands of them. */
  async resolveTreeItem(item: vscode.TreeItem, node: TreeNode): Promise<vscode.TreeItem> {
    if (node.type === 'resource') {
      const tip = resourceTooltip(node, this.model, Date.now());
      for (const a of this.annotators) {
        const extra = a.tooltip(node, this.model, Date.now());
        if (extra) tip.appendMarkdown(`\n\n${extra}`);
      }
      const commands: string[] = [];
      for (const source of this.tooltipSources) {
        const more = await source(node, this.model).catch(() => undefined);
        if (!more) continue;
        tip.appendMarkdown(`\n\n${more.markdown}`);
        commands.push(...more.commands);
      }
      // Only the named commands may run from links; everything else in the tooltip stays inert.
      if (commands.length) tip.isTrusted = { enabledCommands: commands };
      item.tooltip = tip;
    }
    return item;
  }

  getChildren(node?: TreeNode): TreeNode[] | Thenable<TreeNode[]> {
    if (node?.type === 'contributed') return Promise.resolve(this.contribution?.children(node) ?? []).then((children) => this.adopt(node, children));
    const children = this.childrenOf(node);
    if (node?.type === 'resource' && this.contribution) children.push(...this.contribution.childrenOf(node));
    return this.adopt(node, children);
  }

  override dispose(): void {
    clearInterval(this.expiryTicker);
    this.forward.dispose();
    super.dispose();
    this.emitter.dispose();
  }
}
