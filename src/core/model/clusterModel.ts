import type { Logger } from '../logging/logger';
import { Clock, systemClock } from '../k8s/clock';
import { Informer, InformerStatus } from '../k8s/informer';
import { ALL_KINDS, ApiModel, KindName, versionFor } from '../k8s/resources';
import type { WatchTransport } from '../k8s/watchTransport';
import { claimSandboxName } from './claim';
import { KubeObject, objectKey } from './objects';
import { isPoolMember, NameHashes } from './pool';
import { ownedPod } from './podProblem';
import { LABEL_WARM_POOL } from './sandbox';
import { slimmer } from './slim';
import { StringTable } from './strings';

/** Which namespaces the user looks at: every namespace, or a chosen list. */
export type NamespaceScope = { all: true } | { all: false; namespaces: string[] };

export interface ModelChange {
  /** Namespaces whose contents changed (for node-scoped refresh); undefined = everything. */
  namespaces?: Set<string> | undefined;
  kinds?: Set<KindName>;
  /** Objects modified in place, as `Kind/namespace/name` (their nodes refresh alone). */
  modified?: Set<string>;
  /** Kinds whose membership changed (added/removed objects) per namespace: `Kind/namespace`. */
  membership?: Set<string>;
}

export function changeKey(kind: KindName, namespace: string, name?: string): string {
  return name === undefined ? `${kind}/${namespace}` : `${kind}/${namespace}/${name}`;
}

export type TransportFactory = (kind: KindName, namespace: string | undefined) => WatchTransport;
/** Lists and watches the sandboxes' pods of a namespace (undefined: all namespaces). */
export type PodTransportFactory = (namespace: string | undefined) => WatchTransport;

/** Label the agent-sandbox controller puts on every pod it creates (v0.3+). */
export const POD_SELECTOR = 'agents.x-k8s.io/sandbox-name-hash';

const ALL_SCOPE = '*';

/**
 * The live, VS Code-free model of one context: one informer per kind and namespace (or per kind
 * cluster-wide), an index from objects to their namespace, and change events that name what changed.
 * It keeps slimmed objects (model/slim.ts): what the tree, tooltips, cost and tools read, not whole
 * objects; a reader that needs the whole object GETs it.
 */
export class ClusterModel {
  private readonly informers = new Map<string, { kind: KindName; scope: string; informer: Informer }>();
  private readonly listeners = new Set<(c: ModelChange) => void>();
  private running = false;
  private pending: ModelChange | undefined;
  private flushTimer: unknown;
  /** Sorted per-namespace lists, rebuilt lazily after a change to that kind (the tree asks often). */
  private readonly listCache = new Map<string, KubeObject[]>();
  private readonly byNamespace = new Map<KindName, Map<string, Map<string, KubeObject>>>();
  /** Sandbox pods per namespace scope, when pod watching is enabled (they explain stuck sandboxes). */
  private readonly podInformers = new Map<string, Informer>();
  private podTransport: PodTransportFactory | undefined;
  /** Strings repeated across the objects, kept once (one table for all of this model's informers). */
  private readonly strings = new StringTable();
  /** Pool names' label hashes: sandboxOwner asks for every pool of a namespace per sandbox row. */
  private readonly poolHashes = new NameHashes();

  constructor(
    readonly api: ApiModel,
    readonly scope: NamespaceScope,
    private readonly makeTransport: TransportFactory,
    private readonly log: Logger,
    /** Events within this window are merged into one change (a re-list touches many objects). */
    private readonly debounceMs = 50,
    /** Time for the debounce and the informers' backoff; tests pass a fake one. */
    private readonly clock: Clock = systemClock,
  ) {}

  /** Kinds this cluster serves; kinds from a group that is not installed are skipped. */
  get servedKinds(): KindName[] {
    return ALL_KINDS.filter((k) => versionFor(this.api, k));
  }

  onDidChange(listener: (c: ModelChange) => void): { dispose(): void } {
    // A wrapper per subscription: the same function subscribed twice is two subscriptions.
    const l = (c: ModelChange) => listener(c);
    this.listeners.add(l);
    return { dispose: () => void this.listeners.delete(l) };
  }

  /** Subscriptions still open (diagnostics and leak tests). */
  get listenerCount(): number {
    return this.listeners.size;
  }

  /**
   * Also watch the sandboxes' pods (one watch per namespace shown, or one cluster-wide), started and
   * stopped with the model, so a sandbox stuck Starting can say why. Call before start().
   */
  watchPods(factory: PodTransportFactory): void {
    this.podTransport = factory;
  }

  /** The pod a sandbox owns, from the pod watch (undefined without one or before it synced). */
  sandboxPod(sandbox: KubeObject): KubeObject | undefined {
    const ns = sandbox.metadata.namespace ?? '';
    const informer = this.podInformers.get(this.scope.all ? ALL_SCOPE : ns);
    if (!informer) return undefined;
    const direct = informer.store.get(objectKey(ns, sandbox.metadata.name));
    if (direct) return direct;
    return ownedPod(
      sandbox,
      [...informer.store.values()].filter((p) => p.metadata.namespace === ns),
    );
  }

  private startPods(scopes: string[]): void {
    const factory = this.podTransport;
    if (!factory) return;
    for (const scope of scopes) {
      let informer = this.podInformers.get(scope);
      if (!informer) {
        const ns = scope === ALL_SCOPE ? undefined : scope;
        informer = new Informer(
          factory(ns),
          (change) => {
            // A pod change shows on its sandbox's row: the owner named in its controller reference.
            const modified = new Set<string>();
            const namespaces = new Set<string>();
            for (const p of [...change.upserted, ...change.deleted]) {
              const pns = p.metadata.namespace ?? '';
              const owner = p.metadata.ownerReferences?.find((r) => r.controller && r.kind === 'Sandbox');
              namespaces.add(pns);
              modified.add(changeKey('Sandbox', pns, owner?.name ?? p.metadata.name));
            }
            this.emit({ namespaces, kinds: new Set(['Sandbox']), modified, membership: new Set() });
          },
          () => undefined,
          { log: this.log, name: `pod watch (${ns ?? 'all namespaces'})`, clock: this.clock, ingest: slimmer('Pod', this.strings) },
        );
        this.podInformers.set(scope, informer);
      }
      informer.start();
    }
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    const scopes = this.scope.all ? [ALL_SCOPE] : this.scope.namespaces;
    this.startPods(scopes);
    for (const kind of this.servedKinds) {
      for (const scope of scopes) {
        const id = `${kind}@${scope}`;
        let entry = this.informers.get(id);
        if (!entry) {
          const ns = scope === ALL_SCOPE ? undefined : scope;
          const informer = new Informer(
            this.makeTransport(kind, ns),
            (change) => {
              const added = this.index(kind, change.upserted, change.deleted);
              const namespaces = new Set<string>();
              const modified = new Set<string>();
              const membership = new Set<string>();
              for (const o of change.upserted) {
                const ons = o.metadata.namespace ?? '';
                namespaces.add(ons);
                if (added.has(o)) membership.add(changeKey(kind, ons));
                else modified.add(changeKey(kind, ons, o.metadata.name));
              }
              for (const o of change.deleted) {
                namespaces.add(o.metadata.namespace ?? '');
                membership.add(changeKey(kind, o.metadata.namespace ?? ''));
              }
              this.emit({ namespaces, kinds: new Set([kind]), modified, membership });
            },
            () => this.emit({ namespaces: ns === undefined ? undefined : new Set([ns]), kinds: new Set([kind]) }),
            { log: this.log, name: `${kind} watch (${ns ?? 'all namespaces'})`, clock: this.clock, ingest: slimmer(kind, this.strings) },
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
    for (const informer of this.podInformers.values()) informer.stop();
  }

  get isRunning(): boolean {
    return this.running;
  }

  refresh(): void {
    for (const { informer } of this.informers.values()) informer.relist();
  }

  dispose(): void {
    this.stop();
    if (this.flushTimer) this.clock.clearTimeout(this.flushTimer);
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
      const st = informer.currentStatus;
      if (!prev || st.state === 'error' || (st.state === 'reconnecting' && prev.state !== 'error')) out.set(kind, st);
    }
    return out;
  }

  /** Namespaces to show: the chosen ones, or every namespace holding at least one object. */
  namespaces(): string[] {
    if (!this.scope.all) return [...this.scope.namespaces].sort();
    const set = new Set<string>();
    for (const byNs of this.byNamespace.values()) for (const ns of byNs.keys()) set.add(ns);
    return [...set].sort();
  }

  list(kind: KindName, namespace: string): KubeObject[] {
    const key = `${kind}@${namespace}`;
    const cached = this.listCache.get(key);
    if (cached) return cached;
    const bucket = this.byNamespace.get(kind)?.get(namespace);
    const out = bucket ? [...bucket.values()].sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0)) : [];
    this.listCache.set(key, out);
    return out;
  }

  /** Keeps the per-namespace index in step with informer changes and drops only the touched lists. */
  private index(kind: KindName, upserted: KubeObject[], deleted: KubeObject[]): Set<KubeObject> {
    const added = new Set<KubeObject>();
    let byNs = this.byNamespace.get(kind);
    if (!byNs) this.byNamespace.set(kind, (byNs = new Map<string, Map<string, KubeObject>>()));
    for (const o of upserted) {
      const ns = o.metadata.namespace ?? '';
      let bucket = byNs.get(ns);
      if (!bucket) byNs.set(ns, (bucket = new Map<string, KubeObject>()));
      const existed = bucket.has(o.metadata.name);
      bucket.set(o.metadata.name, o);
      if (!existed) added.add(o);
      // The sorted list holds object references: a modification needs a fresh list only for new names.
      if (!existed) this.listCache.delete(`${kind}@${ns}`);
      else {
        const list = this.listCache.get(`${kind}@${ns}`);
        const i = list ? indexByName(list, o.metadata.name) : -1;
        if (list && i >= 0) list[i] = o;
      }
    }
    for (const o of deleted) {
      const ns = o.metadata.namespace ?? '';
      byNs.get(ns)?.delete(o.metadata.name);
      if (byNs.get(ns)?.size === 0) byNs.delete(ns);
      this.listCache.delete(`${kind}@${ns}`);
    }
    return added;
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
    const hash = this.poolHashes.of(pool.metadata.name);
    return this.list('Sandbox', pool.metadata.namespace ?? '').filter((s) => isPoolMember(pool, s, hash));
  }

  claimSandbox(claim: KubeObject): KubeObject | undefined {
    const name = claimSandboxName(claim);
    return name ? this.get('Sandbox', claim.metadata.namespace ?? '', name) : undefined;
  }

  /** The claim or warm pool a sandbox belongs to: its controller, else the pool its warm-pool label names. */
  sandboxOwner(sandbox: KubeObject): { kind: 'claim' | 'pool'; name: string } | undefined {
    const owner = sandbox.metadata.ownerReferences?.find((o) => o.controller && (o.kind === 'SandboxClaim' || o.kind === 'SandboxWarmPool'));
    if (owner) return { kind: owner.kind === 'SandboxClaim' ? 'claim' : 'pool', name: owner.name };
    if (!sandbox.metadata.labels?.[LABEL_WARM_POOL]) return undefined;
    const pool = this.list('SandboxWarmPool', sandbox.metadata.namespace ?? '').find((p) => isPoolMember(p, sandbox, this.poolHashes.of(p.metadata.name)));
    return pool && { kind: 'pool', name: pool.metadata.name };
  }

  /** The claim that owns a sandbox, if any. */
  sandboxClaim(sandbox: KubeObject): KubeObject | undefined {
    const owner = sandbox.metadata.ownerReferences?.find((o) => o.controller && o.kind === 'SandboxClaim');
    return owner ? this.get('SandboxClaim', sandbox.metadata.namespace ?? '', owner.name) : undefined;
  }

  private emit(change: ModelChange): void {
    if (!this.pending) this.pending = { namespaces: new Set(), kinds: new Set(), modified: new Set(), membership: new Set() };
    if (!change.namespaces) this.pending.namespaces = undefined;
    else if (this.pending.namespaces) for (const n of change.namespaces) this.pending.namespaces.add(n);
    for (const k of change.kinds ?? []) this.pending.kinds?.add(k);
    for (const k of change.modified ?? []) this.pending.modified?.add(k);
    for (const k of change.membership ?? []) this.pending.membership?.add(k);
    if (!change.modified && !change.membership && change.kinds) {
      // A status change (error, synced) without object detail: treat the kind's groups as changed.
      for (const k of change.kinds) for (const n of change.namespaces ?? []) this.pending.membership?.add(changeKey(k, n));
      if (!change.namespaces) this.pending.namespaces = undefined;
    }
    if (this.debounceMs <= 0) return this.flush();
    if (!this.flushTimer) this.flushTimer = this.clock.setTimeout(() => this.flush(), this.debounceMs);
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

/** Where a name sits in a list sorted by name (as list() sorts), or -1: a fleet's namespace holds thousands. */
function indexByName(list: KubeObject[], name: string): number {
  let lo = 0;
  let hi = list.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const n = list[mid]!.metadata.name; // lo <= mid <= hi < list.length
    if (n === name) return mid;
    if (n < name) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}
