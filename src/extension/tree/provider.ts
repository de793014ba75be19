import * as vscode from 'vscode';
import { KINDS, KindName } from '../../core/k8s/resources';
import type { InformerStatus } from '../../core/k8s/informer';
import { changeKey, ClusterModel, ModelChange } from '../../core/model/clusterModel';
import { claimSandboxName, claimShutdownTime } from '../../core/model/claim';
import type { KubeObject } from '../../core/model/objects';
import { GroupBy, groupSandboxes, SandboxBucket, shouldGroup } from '../../core/tree/grouping';
import { describeFilter, isEmptyFilter, matchesFilter, SandboxFilter } from '../../core/tree/sandboxFilter';
import type { ClusterManager } from '../../core/clusterManager';
import { BucketNode, ContributedNode, DEPENDENT_GROUPS, GroupNode, MessageNode, NamespaceNode, ResourceNode, TreeNode } from '../../core/tree/nodes';
import { resourceTooltip, toTreeItem } from './treeItems';

const GROUP_ORDER: KindName[] = ['SandboxWarmPool', 'SandboxClaim', 'Sandbox', 'SandboxTemplate'];

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
 * Renders the ClusterManager's live model. Node objects are cached by id and reused, so a model
 * change refreshes only the affected group nodes, never the whole tree.
 */
export class SandboxTreeProvider implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  private readonly nodes = new Map<string, TreeNode>();
  private readonly parents = new Map<string, TreeNode | undefined>();
  /** Every row showing an object, keyed `Kind/namespace/name` (a sandbox can appear under its pool, its claim and Sandboxes). */
  private readonly objectNodes = new Map<string, Set<ResourceNode>>();
  private readonly subscriptions: vscode.Disposable[] = [];
  private visible = false;
  private knownNamespaces = '';
  private contribution: TreeContribution | undefined;
  private readonly annotators: RowAnnotator[] = [];
  private readonly tooltipSources: TooltipSource[] = [];
  /** Claims with a TTL say "expires in N min": their rows re-render every 30 s while visible. */
  private readonly expiryTicker = setInterval(() => this.refreshExpiring(), 30_000);
  private filter: SandboxFilter = {};
  private groupBy: GroupBy = 'state';
  private groupThreshold = 100;
  private readonly viewEmitter = new vscode.EventEmitter<void>();
  /** The filter or grouping changed (the view's message and title buttons follow). */
  readonly onDidChangeView = this.viewEmitter.event;

  constructor(private readonly manager: ClusterManager) {
    this.subscriptions.push(
      manager.onDidChange(() => this.onManagerChange()),
      // Per ready session (Retry rebuilds the model): follow its changes, and watch while visible.
      manager.onDidOpenReady(({ model }, scope) => {
        scope.add(model.onDidChange((c) => this.onModelChange(c)));
        if (this.visible) model.start();
      }),
      manager.onDidChangeSessionState(() => this.emitter.fire(undefined)),
    );
    this.onManagerChange();
  }

  /** Watches run only while the view is visible. */
  setVisible(visible: boolean): void {
    this.visible = visible;
    const model = this.model;
    if (!model) return;
    if (visible) model.start();
    else model.stop();
  }

  get model(): ClusterModel | undefined {
    const s = this.manager.session?.state;
    return s?.kind === 'ready' ? s.model : undefined;
  }

  refresh(): void {
    this.model?.refresh();
    this.emitter.fire(undefined);
  }

  get sandboxFilter(): SandboxFilter {
    return this.filter;
  }

  get grouping(): GroupBy {
    return this.groupBy;
  }

  get filtered(): boolean {
    return !isEmptyFilter(this.filter);
  }

  setFilter(filter: SandboxFilter): void {
    this.filter = filter;
    this.viewEmitter.fire();
    this.emitter.fire(undefined);
  }

  setGrouping(by: GroupBy): void {
    this.groupBy = by;
    this.viewEmitter.fire();
    this.emitter.fire(undefined);
  }

  /** Rows in one list above which its sandboxes are grouped; 0: never. */
  setGroupThreshold(threshold: number): void {
    if (threshold === this.groupThreshold) return;
    this.groupThreshold = threshold;
    this.emitter.fire(undefined);
  }

  /** Sandboxes the filter lets through, of all in the chosen namespaces (for the view's message). */
  filterCounts(): { shown: number; total: number } {
    const all = this.model?.all('Sandbox') ?? [];
    return { shown: this.filtered ? all.filter((sb) => this.passes(sb)).length : all.length, total: all.length };
  }

  /** The sandboxes of a namespace the tree shows under Sandboxes (filter applied). */
  visibleSandboxes(namespace: string): KubeObject[] {
    const list = this.model?.list('Sandbox', namespace) ?? [];
    return this.filtered ? list.filter((sb) => this.passes(sb)) : list;
  }

  /** The sandboxes under one group row (a namespace's Sandboxes row or one of its buckets). */
  sandboxesOf(node: GroupNode | BucketNode): KubeObject[] {
    const list = this.visibleSandboxes(node.namespace);
    if (node.type === 'group') return list;
    return this.buckets(list).find((b) => b.key === node.key)?.items ?? [];
  }

  /** Whether a sandbox passes a filter (the tree's own by default); created-by is read from its claim too. */
  passes(sb: KubeObject, filter: SandboxFilter = this.filter): boolean {
    return matchesFilter(sb, filter, filter.createdBy ? this.model?.sandboxClaim(sb) : undefined);
  }

  private buckets(list: KubeObject[]): SandboxBucket[] {
    const model = this.model;
    return model ? groupSandboxes(list, this.groupBy, (sb) => model.sandboxOwner(sb)) : [];
  }

  /** The bucket a sandbox is shown in, or undefined when its namespace's list is flat. */
  private bucketOf(namespace: string, name: string): BucketNode | undefined {
    const list = this.visibleSandboxes(namespace);
    if (!shouldGroup(list.length, this.groupThreshold)) return undefined;
    const bucket = this.buckets(list).find((b) => b.items.some((sb) => sb.metadata.name === name));
    return bucket && this.bucketNode(namespace, bucket);
  }

  private bucketNode(namespace: string, b: SandboxBucket): BucketNode {
    const ctx = this.manager.session?.context ?? '';
    return this.reuse<BucketNode>({ type: 'bucket', id: `${this.groupId(namespace, 'Sandbox')}/b:${b.key}`, context: ctx, namespace, key: b.key, label: b.label, count: b.items.length }, true);
  }

  /**
   * The row a sandbox is shown as under its namespace's Sandboxes (in its bucket when grouped),
   * with its parents known, so treeView.reveal() works for rows the tree never rendered.
   */
  sandboxNode(namespace: string, name: string): ResourceNode | undefined {
    const model = this.model;
    const sb = model?.get('Sandbox', namespace, name);
    const session = this.manager.session;
    if (!model || !sb || !session || !this.passes(sb)) return undefined;
    const ctxNode = this.reuse<TreeNode>({ type: 'context', id: `ctx:${session.context}`, context: session.context });
    const nsNode = this.reuse<NamespaceNode>({ type: 'namespace', id: `ns:${session.context}/${namespace}`, context: session.context, namespace });
    const group = this.reuse<GroupNode>({ type: 'group', id: this.groupId(namespace, 'Sandbox'), context: session.context, namespace, kind: 'Sandbox' });
    const bucket = this.bucketOf(namespace, name);
    const parent = bucket ?? group;
    const node = this.resource(`${parent.id}/`, 'Sandbox', sb);
    this.parents.set(ctxNode.id, undefined);
    this.parents.set(nsNode.id, ctxNode);
    this.parents.set(group.id, nsNode);
    if (bucket) this.parents.set(bucket.id, group);
    this.parents.set(node.id, parent);
    return node;
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
    this.annotators.push(annotator);
    this.emitter.fire(undefined);
    return new vscode.Disposable(() => {
      const i = this.annotators.indexOf(annotator);
      if (i >= 0) this.annotators.splice(i, 1);
    });
  }

  /** Re-renders every row showing one object (idle time passed; no model change involved). */
  refreshObject(kind: KindName, namespace: string, name: string): void {
    for (const node of this.objectNodes.get(changeKey(kind, namespace, name)) ?? []) this.emitter.fire(node);
  }

  private refreshExpiring(): void {
    if (!this.visible) return;
    for (const [key, nodes] of this.objectNodes) {
      if (!key.startsWith('SandboxClaim/')) continue;
      for (const node of nodes) if (claimShutdownTime(node.object) !== undefined) this.emitter.fire(node);
    }
  }

  /** Re-renders one row and its subtree (contributed rows refresh themselves through this). */
  refreshNode(node: TreeNode | undefined): void {
    this.emitter.fire(node);
  }

  /** Another context (or none): the cached rows belong to the old one. */
  private onManagerChange(): void {
    this.nodes.clear();
    this.parents.clear();
    this.objectNodes.clear();
    this.emitter.fire(undefined);
  }

  private onModelChange(change: ModelChange): void {
    const model = this.model;
    if (!model) return;
    const namespaces = model.namespaces().join('\n');
    if (namespaces !== this.knownNamespaces || !change.namespaces) {
      this.knownNamespaces = namespaces;
      this.emitter.fire(undefined);
      return;
    }
    const fire = new Set<TreeNode>();
    // Added or removed objects change a group's children (and counts that depend on them).
    for (const key of change.membership ?? []) {
      const [kind, ns] = key.split('/') as [KindName, string];
      for (const g of DEPENDENT_GROUPS[kind]) {
        const node = this.nodes.get(this.groupId(ns, g));
        if (node) fire.add(node);
      }
    }
    // Objects modified in place refresh only their own rows (and the rows that show them).
    for (const key of change.modified ?? []) {
      for (const node of this.objectNodes.get(key) ?? []) fire.add(node);
      const [kind, ns, name] = key.split('/') as [KindName, string, string];
      if (kind === 'Sandbox' && (this.filtered || this.isGrouped(ns))) {
        // Its state may move it to another bucket, or in or out of the filter.
        const node = this.nodes.get(this.groupId(ns, 'Sandbox'));
        if (node) fire.add(node);
      }
      if (kind === 'Sandbox') {
        const sb = model.get('Sandbox', ns, name);
        const claim = sb && model.sandboxClaim(sb);
        if (claim) for (const node of this.objectNodes.get(changeKey('SandboxClaim', ns, claim.metadata.name)) ?? []) fire.add(node);
      }
      if (kind === 'SandboxTemplate') {
        const node = this.nodes.get(this.groupId(ns, 'SandboxWarmPool'));
        if (node) fire.add(node);
      }
    }
    // A parent refresh covers its children: skip rows whose group is already refreshed.
    for (const node of fire) {
      const parent = this.parents.get(node.id);
      if (parent && fire.has(parent)) continue;
      this.emitter.fire(node);
    }
  }

  private isGrouped(namespace: string): boolean {
    return shouldGroup(this.model?.list('Sandbox', namespace).length ?? 0, this.groupThreshold);
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

  addTooltipSource(source: TooltipSource): vscode.Disposable {
    this.tooltipSources.push(source);
    return new vscode.Disposable(() => {
      const i = this.tooltipSources.indexOf(source);
      if (i >= 0) this.tooltipSources.splice(i, 1);
    });
  }

  getParent(node: TreeNode): TreeNode | undefined {
    return this.parents.get(node.id);
  }

  getChildren(node?: TreeNode): TreeNode[] | Thenable<TreeNode[]> {
    if (node?.type === 'contributed') return Promise.resolve(this.contribution?.children(node) ?? []).then((children) => this.adopt(node, children));
    const children = this.childrenOf(node);
    if (node?.type === 'resource' && this.contribution) children.push(...this.contribution.childrenOf(node));
    return this.adopt(node, children);
  }

  private adopt(node: TreeNode | undefined, children: TreeNode[]): TreeNode[] {
    for (const c of children) this.parents.set(c.id, node);
    return children;
  }

  private childrenOf(node?: TreeNode): TreeNode[] {
    const state = this.manager.state;
    if (!node) {
      if (state.kind === 'no-kubeconfig') return []; // the welcome view explains and offers a file picker
      if (state.kind === 'bad-kubeconfig') {
        return [this.message('bad-kubeconfig', `Cannot read the kubeconfig: ${state.message}`, 'error', undefined, { command: 'agentSandbox.pickKubeconfig', title: 'Choose a kubeconfig file' })];
      }
      return [this.reuse<TreeNode>({ type: 'context', id: `ctx:${state.session.context}`, context: state.session.context })];
    }
    const session = this.manager.session;
    if (!session) return [];
    const ctx = session.context;
    switch (node.type) {
      case 'context': {
        const s = session.state;
        if (s.kind === 'connecting') return [this.message('connecting', 'Connecting…', 'loading')];
        if (s.kind === 'unreachable') {
          return [
            this.message('unreachable', `Cannot reach the cluster: ${s.error.message}`, 'error', `${s.error.message}\n\nDetails are in the "Agent Sandbox" output log.`, { command: 'agentSandbox.retry', title: 'Retry' }),
            this.message('unreachable-retry', 'Retry', 'info', undefined, { command: 'agentSandbox.retry', title: 'Retry' }),
          ];
        }
        if (s.kind === 'not-installed') {
          return [
            this.message(
              'not-installed',
              'Agent Sandbox is not installed on this cluster',
              'warning',
              'The `agents.x-k8s.io` API group is not served. Install agent-sandbox (with extensions for claims and warm pools):\n\n`kubectl apply -f https://github.com/kubernetes-sigs/agent-sandbox/releases/latest/download/manifest.yaml`\n\n`kubectl apply -f https://github.com/kubernetes-sigs/agent-sandbox/releases/latest/download/extensions.yaml`',
            ),
          ];
        }
        const model = s.model;
        const out: TreeNode[] = [];
        if (this.filtered) {
          const { shown, total } = this.filterCounts();
          out.push(this.message('filter', `Filter: ${describeFilter(this.filter)} — ${shown} of ${total} shown`, 'info', 'Click to clear the filter and show every sandbox.', { command: 'agentSandbox.clearFilter', title: 'Clear Filter' }));
        }
        if (!s.api.extensions) {
          out.push(this.message('no-extensions', 'Claims, warm pools and templates are not installed (agent-sandbox extensions)', 'info', 'Only Sandboxes are shown. Apply the agent-sandbox `extensions.yaml` and run the controller with `--extensions`.'));
        }
        const statuses = model.kindStatuses();
        const starting = [...statuses.values()].some((st) => st.state === 'starting');
        if (model.scope.all) {
          for (const [kind, st] of statuses) {
            if (st.state === 'error') out.push(this.statusMessage(`all:${kind}`, kind, st, 'all namespaces'));
            else if (st.state === 'reconnecting') out.push(this.staleMessage(`all:${kind}`, kind, st));
          }
        }
        const namespaces = model.namespaces();
        if (namespaces.length === 0) {
          if (starting) out.push(this.message('loading', 'Loading…', 'loading'));
          else if (!out.some((n) => n.type === 'message' && n.severity === 'error')) out.push(this.message('empty', 'No sandboxes, claims or pools in the chosen namespaces', 'info', undefined, { command: 'agentSandbox.chooseNamespaces', title: 'Choose namespaces' }));
        }
        for (const ns of namespaces) out.push(this.reuse<NamespaceNode>({ type: 'namespace', id: `ns:${ctx}/${ns}`, context: ctx, namespace: ns }));
        return out;
      }
      case 'namespace': {
        const model = this.model;
        if (!model) return [];
        return GROUP_ORDER.filter((k) => model.servedKinds.includes(k)).map((kind) => this.reuse<GroupNode>({ type: 'group', id: this.groupId(node.namespace, kind), context: ctx, namespace: node.namespace, kind }));
      }
      case 'group': {
        const model = this.model;
        if (!model) return [];
        const st = model.status(node.kind, node.namespace);
        if (st.state === 'error') return [this.statusMessage(`${node.namespace}:${node.kind}`, node.kind, st, node.namespace)];
        const objects = node.kind === 'Sandbox' ? this.visibleSandboxes(node.namespace) : model.list(node.kind, node.namespace);
        const items: TreeNode[] =
          node.kind === 'Sandbox' && shouldGroup(objects.length, this.groupThreshold)
            ? this.buckets(objects).map((b) => this.bucketNode(node.namespace, b))
            : objects.map((o) => this.resource(`${node.id}/`, node.kind, o));
        return st.state === 'reconnecting' && !model.scope.all ? [this.staleMessage(`${node.namespace}:${node.kind}`, node.kind, st), ...items] : items;
      }
      case 'bucket':
        return this.sandboxesOf(node).map((o) => this.resource(`${node.id}/`, 'Sandbox', o));
      case 'resource': {
        const model = this.model;
        if (!model) return [];
        const fresh = model.get(node.kind, node.namespace, node.name);
        if (node.kind === 'SandboxWarmPool' && fresh) return model.poolMembers(fresh).map((o) => this.resource(`${node.id}/`, 'Sandbox', o));
        if (node.kind === 'SandboxClaim' && fresh) {
          const sb = model.claimSandbox(fresh);
          if (sb) return [this.resource(`${node.id}/`, 'Sandbox', sb)];
          const bound = claimSandboxName(fresh);
          return bound ? [this.message(`${node.id}/pending`, `Sandbox ${bound} (not visible yet)`, 'loading')] : [];
        }
        return [];
      }
      case 'message':
      case 'contributed':
        return [];
    }
  }

  /** Finds the node a model object is shown as under its kind's group, for reveal(). */
  findResource(kind: KindName, namespace: string, name: string): ResourceNode | undefined {
    const node = this.nodes.get(`${this.groupId(namespace, kind)}/${name}`);
    return node?.type === 'resource' ? node : undefined;
  }

  groupNode(namespace: string, kind: KindName): GroupNode | undefined {
    const n = this.nodes.get(this.groupId(namespace, kind));
    return n?.type === 'group' ? n : undefined;
  }

  private groupId(namespace: string, kind: KindName): string {
    return `grp:${this.manager.session?.context}/${namespace}/${kind}`;
  }

  private resource(prefix: string, kind: KindName, object: ResourceNode['object']): ResourceNode {
    const id = `${prefix}${object.metadata.name}`;
    const existing = this.nodes.get(id);
    if (existing?.type === 'resource') {
      existing.object = object;
      return existing;
    }
    const node: ResourceNode = { type: 'resource', id, context: this.manager.session?.context ?? '', namespace: object.metadata.namespace ?? '', kind, name: object.metadata.name, object };
    this.nodes.set(id, node);
    const key = changeKey(kind, node.namespace, node.name);
    let set = this.objectNodes.get(key);
    if (!set) this.objectNodes.set(key, (set = new Set()));
    set.add(node);
    return node;
  }

  private statusMessage(id: string, kind: KindName, st: Extract<InformerStatus, { state: 'error' }>, where: string): MessageNode {
    const title = KINDS[kind].title;
    if (st.error.isForbidden) return this.message(`forbidden:${id}`, `No permission to list ${title} in ${where}`, 'warning', st.error.message);
    return this.message(`err:${id}`, `Cannot list ${title}: ${st.error.message}`, 'error', `${st.error.message}\n\nRetrying in ${Math.round(st.retryInMs / 1000)} s.`, { command: 'agentSandbox.refresh', title: 'Retry now' });
  }

  /** The watch was lost: what is shown is kept but may be out of date until it is back. */
  private staleMessage(id: string, kind: KindName, st: Extract<InformerStatus, { state: 'reconnecting' }>): MessageNode {
    const retry = st.retryInMs > 0 ? `\n\nNext attempt in ${Math.round(st.retryInMs / 1000)} s.` : '';
    return this.message(`stale:${id}`, `${KINDS[kind].title}: reconnecting… (may be out of date)`, 'loading', `${st.error.message}${retry}`, { command: 'agentSandbox.refresh', title: 'Retry now' });
  }

  private message(id: string, text: string, severity: MessageNode['severity'], detail?: string, command?: MessageNode['command']): MessageNode {
    return this.reuse<MessageNode>({ type: 'message', id: `msg:${id}`, text, severity, detail, command }, true);
  }

  /** Returns the cached instance for this id (updated with the new fields), or caches the new one. */
  private reuse<T extends TreeNode>(node: T, update = false): T {
    const existing = this.nodes.get(node.id) as T | undefined;
    if (existing) {
      if (update) Object.assign(existing, node);
      return existing;
    }
    this.nodes.set(node.id, node);
    return node;
  }

  dispose(): void {
    clearInterval(this.expiryTicker);
    this.viewEmitter.dispose();
    for (const s of this.subscriptions) s.dispose();
    this.emitter.dispose();
  }
}
