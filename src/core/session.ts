import type { KubeConfig } from '@kubernetes/client-node';
import { KubeClient } from './k8s/client';
import { discover, serverVersion } from './k8s/discovery';
import { describeError, KubeError } from './k8s/errors';
import { configForContext } from './k8s/kubeconfig';
import { SandboxOperations } from './k8s/operations';
import { ApiModel, collectionPath, KindName } from './k8s/resources';
import { StreamingListChoice } from './k8s/streamingList';
import { CollectionQuery, HttpWatchOptions, HttpWatchTransport, WatchTransport } from './k8s/watchTransport';
import type { WebSocketFactory } from './k8s/webSocket';
import { type Disposable, DisposableStore, Emitter } from './lifecycle';
import type { Logger } from './logging/logger';
import { ClusterModel, NamespaceScope, POD_SELECTOR } from './model/clusterModel';

export type SessionState =
  | { kind: 'connecting' }
  | { kind: 'unreachable'; error: KubeError }
  | { kind: 'not-installed'; serverVersion?: string | undefined }
  | { kind: 'ready'; api: ApiModel; model: ClusterModel; ops: SandboxOperations; serverVersion?: string | undefined };

/** A session that is ready: what most features work with. */
export interface ReadySession {
  session: ContextSession;
  api: ApiModel;
  model: ClusterModel;
  ops: SandboxOperations;
}

/**
 * Called each time a session becomes ready. `scope` is disposed when it stops being ready (Retry,
 * the session's end on a context switch or shutdown) or when the subscription is disposed: what
 * the listener opens for this ready session (model listeners, watches, timers) goes into it.
 */
export type ReadyListener = (ready: ReadySession, scope: DisposableStore) => void;

/** How a session reaches its cluster: discovery and the model's watches (tests script these). */
export interface SessionConnector {
  discover(client: KubeClient): Promise<ApiModel>;
  serverVersion(client: KubeClient): Promise<string | undefined>;
  /** Lists and watches one kind in a namespace (undefined: all namespaces). */
  kindTransport(client: KubeClient, api: ApiModel, kind: KindName, namespace: string | undefined): WatchTransport;
  /** Lists and watches the sandboxes' pods. */
  podTransport(client: KubeClient, namespace: string | undefined): WatchTransport;
}

/**
 * Lists and watches one collection path (with a label selector for the pods). `options` carries the
 * session's shared choices (streamed lists), so a wrapping transport (bench:fleet's counter) lists
 * exactly as the extension does.
 */
export type CollectionTransport = (client: KubeClient, path: string, query: CollectionQuery | undefined, options: HttpWatchOptions) => WatchTransport;

/**
 * Real discovery; the model's watches through `transport` (HTTP unless a test scripts it). Over
 * HTTP, lists are streamed where the server offers it; whether it does is learnt once per
 * connector (one per session) and shared by all its collections.
 */
export function httpConnector(transport?: CollectionTransport, log?: Logger): SessionConnector {
  const streamingList = new StreamingListChoice(log);
  const make: CollectionTransport = transport ?? ((client, path, query, options) => new HttpWatchTransport(client, path, query, options));
  const open = (client: KubeClient, path: string, query?: CollectionQuery) => make(client, path, query, { streamingList });
  return {
    discover,
    serverVersion,
    kindTransport: (client, api, kind, ns) => open(client, collectionPath(api, kind, ns)),
    podTransport: (client, ns) => open(client, ns ? `/api/v1/namespaces/${encodeURIComponent(ns)}/pods` : '/api/v1/pods', { labelSelector: POD_SELECTOR }),
  };
}

export interface SessionOptions {
  /** How the model lists and watches a collection (default: HTTP through the session's client); tests script it. */
  watchTransport?: CollectionTransport;
  /** Discovery and the watches as a whole, for tests that script a cluster without any server. */
  connector?: SessionConnector;
  /** How the client opens exec websockets (default: `ws`). */
  openSocket?: WebSocketFactory | undefined;
}

/**
 * Everything tied to one kubeconfig context: client, discovery, the live model and the actions.
 * Disposing it stops every watch it started and closes every ready scope. Nothing here imports VS Code.
 */
export class ContextSession implements Disposable {
  readonly client: KubeClient;
  private stateValue: SessionState = { kind: 'connecting' };
  private readonly states: Emitter<SessionState>;
  private readonly readyWatchers = new Set<{ listener: ReadyListener; scope?: DisposableStore | undefined }>();
  private disposed = false;
  private connecting: Promise<void> | undefined;
  private readonly connector: SessionConnector;

  constructor(
    config: KubeConfig,
    readonly context: string,
    readonly scope: NamespaceScope,
    private readonly log: Logger,
    options: SessionOptions = {},
  ) {
    this.client = new KubeClient(configForContext(config, context), context, log, undefined, options.openSocket);
    this.connector = options.connector ?? httpConnector(options.watchTransport, log);
    this.states = new Emitter((err) => this.reportListenerError(err));
  }

  get state(): SessionState {
    return this.stateValue;
  }

  onDidChangeState(l: (s: SessionState) => void): Disposable {
    return this.states.event(l);
  }

  /** Calls `listener` now if this session is ready, and each time it becomes ready again (see ReadyListener). */
  whenReady(listener: ReadyListener): Disposable {
    const watcher: { listener: ReadyListener; scope?: DisposableStore | undefined } = { listener };
    if (this.disposed) return { dispose: () => undefined };
    this.readyWatchers.add(watcher);
    const s = this.stateValue;
    if (s.kind === 'ready') this.openScope(watcher, s);
    return {
      dispose: () => {
        this.readyWatchers.delete(watcher);
        watcher.scope?.dispose();
        watcher.scope = undefined;
      },
    };
  }

  /** Open subscriptions, state and ready ones (diagnostics and leak tests). */
  get listenerCount(): number {
    return this.states.listenerCount + this.readyWatchers.size;
  }

  /** Discovers the API and builds the model; safe to call again (Retry). */
  connect(): Promise<void> {
    if (!this.connecting) this.connecting = this.doConnect().finally(() => (this.connecting = undefined));
    return this.connecting;
  }

  private async doConnect(): Promise<void> {
    this.set({ kind: 'connecting' });
    try {
      const api = await this.connector.discover(this.client);
      const version = await this.connector.serverVersion(this.client);
      if (this.disposed) return;
      if (!api.core) {
        this.log.warn(`${this.context}: agents.x-k8s.io is not served (server ${version ?? 'unknown'})`);
        this.set({ kind: 'not-installed', serverVersion: version });
        return;
      }
      this.log.info(`${this.context}: server ${version ?? 'unknown'}, agents.x-k8s.io/${api.core}, extensions ${api.extensions ?? 'not installed'}`);
      const model = new ClusterModel(api, this.scope, (kind, ns) => this.connector.kindTransport(this.client, api, kind, ns), this.log);
      model.watchPods((ns) => this.connector.podTransport(this.client, ns));
      const ops = new SandboxOperations(this.client, api, this.log);
      this.set({ kind: 'ready', api, model, ops, serverVersion: version });
    } catch (err) {
      if (this.disposed) return;
      const error = err instanceof KubeError ? err : new KubeError(describeError(err), undefined, undefined, 'network');
      this.log.error(`${this.context}: cannot connect: ${error.message}`);
      this.set({ kind: 'unreachable', error });
    }
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.leaveReady();
    this.readyWatchers.clear();
    this.states.dispose();
  }

  private set(s: SessionState): void {
    if (this.stateValue !== s) this.leaveReady();
    this.stateValue = s;
    // Ready scopes open before the state is announced: a listener that renders sees them in place.
    if (s.kind === 'ready') for (const w of [...this.readyWatchers]) this.openScope(w, s);
    this.states.fire(s);
  }

  /** Closes every ready scope and the model they used (Retry, or the end of the session). */
  private leaveReady(): void {
    const s = this.stateValue;
    if (s.kind !== 'ready') return;
    for (const w of this.readyWatchers) {
      w.scope?.dispose();
      w.scope = undefined;
    }
    s.model.dispose();
  }

  private openScope(w: { listener: ReadyListener; scope?: DisposableStore | undefined }, s: Extract<SessionState, { kind: 'ready' }>): void {
    w.scope?.dispose();
    w.scope = new DisposableStore((err) => this.reportListenerError(err));
    try {
      w.listener({ session: this, api: s.api, model: s.model, ops: s.ops }, w.scope);
    } catch (err) {
      this.reportListenerError(err);
    }
  }

  private reportListenerError(err: unknown): void {
    this.log.error(`${this.context}: a session listener failed: ${describeError(err)}`);
  }
}
