import type { ClusterManager } from '../clusterManager';
import type { KindName } from '../k8s/resources';
import { type Disposable, Emitter } from '../lifecycle';
import { claimShutdownTime } from '../model/claim';
import { changeKey, ClusterModel, ModelChange } from '../model/clusterModel';
import type { KubeObject } from '../model/objects';
import { GroupBy, groupSandboxes, SandboxBucket, shouldGroup } from './grouping';
import { NodeCache } from './nodeCache';
import type { BucketNode, GroupNode, NamespaceNode, ResourceNode, TreeNode } from './nodes';
import { rowsToRefresh } from './refreshPlan';
import { isEmptyFilter, matchesFilter, SandboxFilter } from './sandboxFilter';
import { contextRows, innerRows, rootRows, TreeRows } from './treeChildren';

/**
 * The Sandboxes tree without VS Code: which rows the ClusterManager's live model shows (filter
 * and grouping applied), which of them a model change re-renders, and the rule that the model
 * watches only while the view is visible. Node objects are cached by id and reused, so a change
 * refreshes only the affected rows, never the whole tree. The VS Code provider renders the rows.
 */
export class SandboxTree implements TreeRows, Disposable {
  private readonly cache = new NodeCache();
  private readonly rows = new Emitter<TreeNode | undefined>();
  /** Rows to re-render: one row and its subtree, or undefined for the whole tree. */
  readonly onDidChangeRows = this.rows.event;
  private readonly viewEmitter = new Emitter<void>();
  /** The filter or grouping changed (the view's message and title buttons follow). */
  readonly onDidChangeView = this.viewEmitter.event;
  private readonly subscriptions: Disposable[] = [];
  private visible = false;
  private knownNamespaces = '';
  private filter: SandboxFilter = {};
  private groupBy: GroupBy = 'state';
  private groupThreshold = 100;

  constructor(protected readonly manager: ClusterManager) {
    this.subscriptions.push(
      manager.onDidChange(() => this.onManagerChange()),
      // Per ready session (Retry rebuilds the model): follow its changes, and watch while visible.
      manager.onDidOpenReady(({ model }, scope) => {
        scope.add(model.onDidChange((c) => this.onModelChange(c)));
        if (this.visible) model.start();
      }),
      manager.onDidChangeSessionState(() => this.fire(undefined)),
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

  get isVisible(): boolean {
    return this.visible;
  }

  get model(): ClusterModel | undefined {
    const s = this.manager.session?.state;
    return s?.kind === 'ready' ? s.model : undefined;
  }

  refresh(): void {
    this.model?.refresh();
    this.fire(undefined);
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
    this.fire(undefined);
  }

  setGrouping(by: GroupBy): void {
    this.groupBy = by;
    this.viewEmitter.fire();
    this.fire(undefined);
  }

  /** Rows in one list above which its sandboxes are grouped; 0: never. */
  setGroupThreshold(threshold: number): void {
    if (threshold === this.groupThreshold) return;
    this.groupThreshold = threshold;
    this.fire(undefined);
  }

  groupsAt(count: number): boolean {
    return shouldGroup(count, this.groupThreshold);
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

  buckets(list: KubeObject[]): SandboxBucket[] {
    const model = this.model;
    return model ? groupSandboxes(list, this.groupBy, (sb) => model.sandboxOwner(sb)) : [];
  }

  bucketNode(namespace: string, b: SandboxBucket): BucketNode {
    const ctx = this.manager.session?.context ?? '';
    return this.reuse<BucketNode>(
      { type: 'bucket', id: `${this.groupId(namespace, 'Sandbox')}/b:${b.key}`, context: ctx, namespace, key: b.key, label: b.label, count: b.items.length },
      true,
    );
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
    const list = this.visibleSandboxes(namespace);
    const b = this.groupsAt(list.length) ? this.buckets(list).find((x) => x.items.some((o) => o.metadata.name === name)) : undefined;
    const bucket = b && this.bucketNode(namespace, b);
    const parent = bucket ?? group;
    const node = this.resource(`${parent.id}/`, 'Sandbox', sb);
    this.cache.setParent(ctxNode, undefined);
    this.cache.setParent(nsNode, ctxNode);
    this.cache.setParent(group, nsNode);
    if (bucket) this.cache.setParent(bucket, group);
    this.cache.setParent(node, parent);
    return node;
  }

  /** Re-renders every row showing one object (idle time passed; no model change involved). */
  refreshObject(kind: KindName, namespace: string, name: string): void {
    for (const node of this.cache.rowsOf(changeKey(kind, namespace, name))) this.fire(node);
  }

  /** Claims with a TTL say "expires in N min": the provider calls this every 30 s; only a visible view re-renders. */
  refreshExpiring(): void {
    if (!this.visible) return;
    for (const [key, nodes] of this.cache.allRows()) {
      if (!key.startsWith('SandboxClaim/')) continue;
      for (const node of nodes) if (claimShutdownTime(node.object) !== undefined) this.fire(node);
    }
  }

  /** Re-renders one row and its subtree (contributed rows refresh themselves through this). */
  refreshNode(node: TreeNode | undefined): void {
    this.fire(node);
  }

  /** The tree's own rows under a node (the root when undefined); contributed rows are the provider's. */
  childrenOf(node?: TreeNode): TreeNode[] {
    if (!node) return rootRows(this, this.manager.state);
    const session = this.manager.session;
    if (!session) return [];
    return node.type === 'context' ? contextRows(this, session.context, session.state) : innerRows(this, session.context, node);
  }

  /** Records the parent of rows handed to the view (treeView.reveal walks up through getParent). */
  adopt(node: TreeNode | undefined, children: TreeNode[]): TreeNode[] {
    for (const c of children) this.cache.setParent(c, node);
    return children;
  }

  getParent(node: TreeNode): TreeNode | undefined {
    return this.cache.parentOf(node);
  }

  /** Finds the node a model object is shown as under its kind's group, for reveal(). */
  findResource(kind: KindName, namespace: string, name: string): ResourceNode | undefined {
    const node = this.cache.get(`${this.groupId(namespace, kind)}/${name}`);
    return node?.type === 'resource' ? node : undefined;
  }

  groupNode(namespace: string, kind: KindName): GroupNode | undefined {
    const n = this.cache.get(this.groupId(namespace, kind));
    return n?.type === 'group' ? n : undefined;
  }

  groupId(namespace: string, kind: KindName): string {
    return `grp:${this.manager.session?.context}/${namespace}/${kind}`;
  }

  resource(prefix: string, kind: KindName, object: KubeObject): ResourceNode {
    return this.cache.resource(prefix, this.manager.session?.context ?? '', kind, object);
  }

  reuse<T extends TreeNode>(node: T, update = false): T {
    return this.cache.reuse(node, update);
  }

  /** Another context (or none): the cached rows belong to the old one. */
  private onManagerChange(): void {
    this.cache.clear();
    this.fire(undefined);
  }

  private onModelChange(change: ModelChange): void {
    const model = this.model;
    if (!model) return;
    const namespaces = model.namespaces().join('\n');
    if (namespaces !== this.knownNamespaces || !change.namespaces) {
      this.knownNamespaces = namespaces;
      this.fire(undefined);
      return;
    }
    const isGrouped = (ns: string) => this.groupsAt(model.list('Sandbox', ns).length);
    for (const node of rowsToRefresh(change, { model, cache: this.cache, groupId: (ns, k) => this.groupId(ns, k), filtered: this.filtered, isGrouped }))
      this.fire(node);
  }

  private fire(node: TreeNode | undefined): void {
    this.rows.fire(node);
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.viewEmitter.dispose();
    this.rows.dispose();
  }
}
