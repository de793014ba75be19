import * as vscode from 'vscode';
import type { ActivityRef, ActivityTracker } from '../../core/finops/activity';
import type { Prices } from '../../core/finops/cost';
import { msUntilIdleTextChanges } from '../../core/finops/idle';
import { costLines, poolCostLine, usageDescription, usageTooltip, UsageFacts } from '../../core/finops/present';
import type { ClusterModel } from '../../core/model/clusterModel';
import type { KubeObject } from '../../core/model/objects';
import type { ClusterManager } from '../../core/clusterManager';
import { onDidChangeSettings, readSettings } from '../config';
import type { RowAnnotator, SandboxTreeProvider } from '../tree/provider';
import type { ResourceNode, TreeNode } from '../../core/tree/nodes';

/** What the rows need from auto-hibernate. */
export interface AutoHibernateMarks {
  isAutoHibernated(ref: ActivityRef): boolean;
  onDidChange: vscode.Event<ActivityRef>;
}

/**
 * Idle time, cost and the auto-hibernated marker on tree rows. Rows of sandboxes this window
 * used are re-rendered when their "idle for N min" text changes — once a minute at most, only
 * while the view is visible, and without reading the API server.
 */
export class UsageRows implements RowAnnotator, vscode.Disposable {
  private prices: Prices = readSettings().prices;
  private timer: NodeJS.Timeout | undefined;
  private lastTick = 0;
  private readonly subs: vscode.Disposable[] = [];

  constructor(
    private readonly manager: ClusterManager,
    private readonly tree: SandboxTreeProvider,
    private readonly treeView: vscode.TreeView<TreeNode>,
    private readonly activity: ActivityTracker,
    private readonly marks: AutoHibernateMarks,
  ) {
    const refresh = (ref: ActivityRef) => {
      if (ref.context === this.manager.session?.context) this.tree.refreshObject('Sandbox', ref.namespace, ref.sandbox);
      this.schedule();
    };
    const tracked = activity.onDidChange(refresh);
    this.subs.push(
      tree.addAnnotator(this),
      { dispose: () => tracked.dispose() },
      marks.onDidChange(refresh),
      treeView.onDidChangeVisibility(() => this.tick()),
      manager.onDidChange(() => this.schedule()),
      onDidChangeSettings((c) => {
        if (!c.affects('cost')) return;
        this.prices = readSettings().prices;
        this.tree.refreshNode(undefined);
      }),
    );
    this.schedule();
  }

  description(node: ResourceNode): string | undefined {
    if (node.kind !== 'Sandbox') return undefined;
    return usageDescription(node.object, this.facts(node.context, node.object));
  }

  tooltip(node: ResourceNode, model: ClusterModel | undefined): string | undefined {
    switch (node.kind) {
      case 'Sandbox':
        return usageTooltip(node.object, this.facts(node.context, node.object), this.prices);
      case 'SandboxClaim': {
        const sb = model?.claimSandbox(node.object);
        return sb ? costLines(sb, this.prices).join('\n') : undefined;
      }
      case 'SandboxWarmPool':
        return model ? poolCostLine(model.poolMembers(node.object), this.prices) : undefined;
      default:
        return undefined;
    }
  }

  private facts(context: string, sb: KubeObject): UsageFacts {
    const ref = { context, namespace: sb.metadata.namespace ?? '', sandbox: sb.metadata.name };
    return { idleMs: this.activity.idleMs(ref), lastKind: this.activity.lastActivity(ref)?.kind, autoHibernated: this.marks.isAutoHibernated(ref) };
  }

  /** Re-renders used rows now and arms the next tick for when the first of their texts changes. */
  private tick(): void {
    this.timer = undefined;
    const used = this.usedHere();
    if (!this.treeView.visible || used.length === 0) return;
    this.lastTick = Date.now();
    for (const ref of used) this.tree.refreshObject('Sandbox', ref.namespace, ref.sandbox);
    this.schedule();
  }

  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const used = this.usedHere();
    if (used.length === 0) return;
    const next = Math.min(...used.map((r) => msUntilIdleTextChanges(this.activity.idleMs(r) ?? 0)));
    // When the first text changes, but never sooner than a minute after the last tick.
    this.timer = setTimeout(() => this.tick(), Math.max(next, this.lastTick + 60_000 - Date.now()));
    this.timer.unref?.();
  }

  private usedHere(): ActivityRef[] {
    const context = this.manager.session?.context;
    return context === undefined ? [] : this.activity.used(context);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const s of this.subs) s.dispose();
  }
}
