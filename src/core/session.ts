import type { KubeConfig } from '@kubernetes/client-node';
import { KubeClient } from './k8s/client';
import { discover, serverVersion } from './k8s/discovery';
import { describeError, KubeError } from './k8s/errors';
import { configForContext } from './k8s/kubeconfig';
import { SandboxOperations } from './k8s/operations';
import { ApiModel, collectionPath } from './k8s/resources';
import { CollectionQuery, HttpWatchTransport, WatchTransport } from './k8s/watchTransport';
import type { Logger } from './logging/logger';
import { ClusterModel, NamespaceScope, POD_SELECTOR } from './model/clusterModel';

export type SessionState =
  | { kind: 'connecting' }
  | { kind: 'unreachable'; error: KubeError }
  | { kind: 'not-installed'; serverVersion?: string }
  | { kind: 'ready'; api: ApiModel; model: ClusterModel; ops: SandboxOperations; serverVersion?: string };

export interface SessionOptions {
  /** How the model lists and watches a collection (default: HTTP through the session's client); tests script it. */
  watchTransport?: (client: KubeClient, path: string, query?: CollectionQuery) => WatchTransport;
}

/**
 * Everything tied to one kubeconfig context: client, discovery, the live model and the actions.
 * Disposing it stops every watch it started. Nothing here imports VS Code.
 */
export class ContextSession {
  readonly client: KubeClient;
  private stateValue: SessionState = { kind: 'connecting' };
  private readonly listeners = new Set<(s: SessionState) => void>();
  private disposed = false;
  private connecting: Promise<void> | undefined;

  constructor(
    config: KubeConfig,
    readonly context: string,
    readonly scope: NamespaceScope,
    private readonly log: Logger,
    private readonly options: SessionOptions = {},
  ) {
    this.client = new KubeClient(configForContext(config, context), context, log);
  }

  get state(): SessionState {
    return this.stateValue;
  }

  onDidChangeState(l: (s: SessionState) => void): { dispose(): void } {
    this.listeners.add(l);
    return { dispose: () => this.listeners.delete(l) };
  }

  /** Discovers the API and builds the model; safe to call again (Retry). */
  connect(): Promise<void> {
    if (!this.connecting) this.connecting = this.doConnect().finally(() => (this.connecting = undefined));
    return this.connecting;
  }

  private async doConnect(): Promise<void> {
    if (this.stateValue.kind === 'ready') this.stateValue.model.dispose();
    this.set({ kind: 'connecting' });
    try {
      const api = await discover(this.client);
      const version = await serverVersion(this.client);
      if (this.disposed) return;
      if (!api.core) {
        this.log.warn(`${this.context}: agents.x-k8s.io is not served (server ${version ?? 'unknown'})`);
        this.set({ kind: 'not-installed', serverVersion: version });
        return;
      }
      this.log.info(`${this.context}: server ${version ?? 'unknown'}, agents.x-k8s.io/${api.core}, extensions ${api.extensions ?? 'not installed'}`);
      const transport = this.options.watchTransport ?? ((client, path, query) => new HttpWatchTransport(client, path, query));
      const model = new ClusterModel(api, this.scope, (kind, ns) => transport(this.client, collectionPath(api, kind, ns)), this.log);
      model.watchPods((ns) => transport(this.client, ns ? `/api/v1/namespaces/${encodeURIComponent(ns)}/pods` : '/api/v1/pods', { labelSelector: POD_SELECTOR }));
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
    this.disposed = true;
    if (this.stateValue.kind === 'ready') this.stateValue.model.dispose();
    this.listeners.clear();
  }

  private set(s: SessionState): void {
    this.stateValue = s;
    for (const l of this.listeners) l(s);
  }
}
