import type { Logger } from '../logging/logger';
import { Informer, InformerStatus } from '../k8s/informer';
import { ALL_KINDS, ApiModel, KindName, versionFor } from '../k8s/resources';
import type { WatchTransport } from '../k8s/watchTransport';
import { claimSandboxName } from './claim';
import { KubeObject, objectKey } from './objects';
import { isPoolMember } from './pool';

/** Which namespaces the user looks at: every namespace, or a chosen list. */
export type NamespaceScope = { all: true } | { all: false; namespaces: string[] };

export interface ModelChange {
  /** Namespaces whose contents changed (for node-scoped refresh); undefined = everything. */
  namespaces?: Set<string>;
  kinds?: Set<KindName>;
}

export type TransportFactory = (kind: KindName, namespace: string | undefined) => WatchTransport;

const ALL_SCOPE = '*';

/**
 * The live, VS Code-free model of one context: one informer per kind and namespace (or per kind
 * cluster-wide), an index from objects to their namespace, and change events that name what changed.
 */
export class ClusterModel {
  private readonly informers = new Map<string, { kind: KindName; scope: string; informer: Informer }>();
  private readonly listeners = new Set<(c: ModelChange) => void>();
  private running = false;
  private pending: ModelChange | undefined;
  private flushTimer: NodeJS.Timeout | undefined;

  constructor(
    readonly api: ApiModel,
    readonly scope: NamespaceScope,
    private readonly makeTransport: TransportFactory,
    private readonly log: Logger,
    /** Events within this window are merged into one change (a re-list touches many objects). */
    private readonly debounceMs = 50,
  ) {}

  /** Kinds this cluster serves; kinds from a group that is not installed are skipped. */
  get servedKinds(): KindName[] {
    return ALL_KINDS.filter((k) => versionFor(this.api, k));
  }

  onDidChange(listener: (c: ModelChange) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    const scopes = this.scope.all ? [ALL_SCOPE] : this.scope.namespaces;
    for (const kind of this.servedKinds) {
      for (const scope of scopes) {
        const id = `${kind}@${scope}`;
        let entry = this.informers.get(id);
        if (!entry) {
          const ns = scope === ALL_SCOPE ? undefined : scope;
          const informer = new Informer(
            this.makeTransport(kind, ns),
            (change) => {
              const namespaces = new Set<string>();
              for (const o of [...change.upserted, ...change.deleted]) namespaces.add(o.metadata.namespace ?? '');
              if (ns !== undefined) namespaces.add(ns);
              this.emit({ namespaces, kinds: new Set([kind]) });
            },
            () => this.emit({ namespaces: ns === undefined ? undefined : new Set([ns]), kinds: new Set([kind]) }),
            { log: this.log, name: `${kind} watch (${ns ?? 'all namespaces'})` },
          );
          entry = { kind, scope, informer };
          this.informers.set(id, entry);
        }
        entry.informer.start();
      }
    }
  }

  stop(): void {
    this.running = false;
    for (const { informer } of this.informers.values()) informer.stop();
  }

  get isRunning(): boolean {
    return this.running;
  }

  refresh(): void {
    for (const { informer } of this.informers.values()) informer.relist();
  }

  dispose(): void {
    this.stop();
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.listeners.clear();
  }

  /** Status of the informer that covers a kind in a namespace. */
  status(kind: KindName, namespace: string): InformerStatus {
    const scope = this.scope.all ? ALL_SCOPE : namespace;
    return this.informers.get(`${kind}@${scope}`)?.informer.currentStatus ?? { state: 'stopped' };
  }

  /** Cluster-wide statuses, for a scope of "all namespaces" (one informer per kind). */
  kindStatuses(): Map<KindName, InformerStatus> {
    const out = new Map<KindName, InformerStatus>();
    for (const { kind, informer } of this.informers.values()) {
      const prev = out.get(kind);
      if (!prev || informer.currentStatus.state === 'error') out.set(kind, informer.currentStatus);
    }
    return out;
  }

  /** Namespaces to show: the chosen ones, or every namespace holding at least one object. */
  namespaces(): string[] {
    if (!this.scope.all) return [...this.scope.namespaces].sort();
    const set = new Set<string>();
    for (const { informer } of this.informers.values()) for (const o of informer.store.values()) set.add(o.metadata.namespace ?? '');
    return [...set].sort();
  }

  list(kind: KindName, namespace: string): KubeObject[] {
    const scope = this.scope.all ? ALL_SCOPE : namespace;
    const informer = this.informers.get(`${kind}@${scope}`)?.informer;
    if (!informer) return [];
    const out: KubeObject[] = [];
    for (const o of informer.store.values()) if ((o.metadata.namespace ?? '') === namespace) out.push(o);
    return out.sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
  }

  get(kind: KindName, namespace: string, name: string): KubeObject | undefined {
    const scope = this.scope.all ? ALL_SCOPE : namespace;
    return this.informers.get(`${kind}@${scope}`)?.informer.store.get(objectKey(namespace, name));
  }

  all(kind: KindName): KubeObject[] {
    const out: KubeObject[] = [];
    for (const e of this.informers.values()) if (e.kind === kind) out.push(...e.informer.store.values());
    return out;
  }

  poolMembers(pool: KubeObject): KubeObject[] {
    return this.list('Sandbox', pool.metadata.namespace ?? '').filter((s) => isPoolMember(pool, s));
  }

  claimSandbox(claim: KubeObject): KubeObject | undefined {
    const name = claimSandboxName(claim);
    return name ? this.get('Sandbox', claim.metadata.namespace ?? '', name) : undefined;
  }

  /** The claim that owns a sandbox, if any. */
  sandboxClaim(sandbox: KubeObject): KubeObject | undefined {
    const owner = sandbox.metadata.ownerReferences?.find((o) => o.controller && o.kind === 'SandboxClaim');
    return owner ? this.get('SandboxClaim', sandbox.metadata.namespace ?? '', owner.name) : undefined;
  }

  private emit(change: ModelChange): void {
    if (!this.pending) this.pending = { namespaces: new Set(), kinds: new Set() };
    if (!change.namespaces) this.pending.namespaces = undefined;
    else if (this.pending.namespaces) for (const n of change.namespaces) this.pending.namespaces.add(n);
    for (const k of change.kinds ?? []) this.pending.kinds?.add(k);
    if (this.debounceMs <= 0) return this.flush();
    if (!this.flushTimer) this.flushTimer = setTimeout(() => this.flush(), this.debounceMs);
  }

  private flush(): void {
    this.flushTimer = undefined;
    const change = this.pending;
    this.pending = undefined;
    if (!change) return;
    for (const l of this.listeners) {
      try {
        l(change);
      } catch (err) {
        this.log.error(`model listener failed: ${(err as Error).message}`);
      }
    }
  }
}
