import type { KubeConfig } from '@kubernetes/client-node';
import type * as vscode from 'vscode';
import { describeError } from './k8s/errors';
import { LoadedKubeconfig, loadKubeconfig, NoKubeconfigError, resolveKubeconfigFiles } from './k8s/kubeconfig';
import type { WebSocketFactory } from './k8s/webSocket';
import { type Disposable, Emitter } from './lifecycle';
import type { Logger } from './logging/logger';
import type { NamespaceScope } from './model/clusterModel';
import { ContextSession, type ReadyListener, type SessionState } from './session';
import type { Fits } from './typePins';

export type ManagerState =
  | { kind: 'no-kubeconfig'; looked: string[] }
  | { kind: 'bad-kubeconfig'; message: string }
  | { kind: 'session'; kubeconfig: LoadedKubeconfig; session: ContextSession };

/** Small persistent memory (VS Code's Memento satisfies it). */
export interface KeyValueStore {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): PromiseLike<void>;
}

/** The extension passes context.globalState as the KeyValueStore. */
export type KeyValueStorePin = Fits<vscode.Memento, KeyValueStore>;

export interface ClusterManagerDeps {
  /** Global state: the chosen context and the namespaces per context (never the kubeconfig). */
  memento: KeyValueStore;
  log: Logger;
  /** The kubeconfig setting, read on every reload (empty: $KUBECONFIG, else ~/.kube/config). */
  kubeconfigPath(): string | undefined;
  /** Opens the session of a context (tests inject a scripted cluster). */
  openSession?(config: KubeConfig, context: string, scope: NamespaceScope, log: Logger): ContextSession;
  /** How the sessions' clients open exec websockets (default: `ws`). */
  openSocket?: WebSocketFactory;
}

const CONTEXT_KEY = 'agentSandbox.activeContext';
const SCOPE_KEY = (context: string) => `agentSandbox.namespaces.${context}`;

/**
 * Owns the "context" lifetime: which kubeconfig and context are active, the namespace choice per
 * context (remembered in global state, never written to the kubeconfig), and the live session.
 * Features follow the current session through onDidOpenReady and onDidChangeSessionState rather
 * than re-subscribing by hand on every switch. Nothing here imports VS Code.
 */
export class ClusterManager implements Disposable {
  private stateValue: ManagerState = { kind: 'no-kubeconfig', looked: [] };
  private readonly emitter: Emitter<ManagerState>;
  /** The kubeconfig or context changed (a new session, or none): fires after the old session is disposed. */
  readonly onDidChange: (listener: (s: ManagerState) => void) => Disposable;

  constructor(private readonly deps: ClusterManagerDeps) {
    this.emitter = new Emitter((err) => deps.log.error(`a cluster listener failed: ${describeError(err)}`));
    this.onDidChange = this.emitter.event;
  }

  get state(): ManagerState {
    return this.stateValue;
  }

  get session(): ContextSession | undefined {
    return this.stateValue.kind === 'session' ? this.stateValue.session : undefined;
  }

  /**
   * The per-session scope: `listener` runs each time the current session is ready (now, if it
   * is), with a store that is disposed on Retry, on a context or namespace switch, on reload and
   * on shutdown, and when this subscription is disposed.
   */
  onDidOpenReady(listener: ReadyListener): Disposable {
    return this.followSession((session) => session.whenReady(listener));
  }

  /** The current session's state changed (connecting, ready, unreachable…); not fired for the switch itself (see onDidChange). */
  onDidChangeSessionState(listener: (s: SessionState, session: ContextSession) => void): Disposable {
    return this.followSession((session) => session.onDidChangeState((s) => listener(s, session)));
  }

  /** Subscriptions still open, the manager's and its session's (diagnostics and leak tests). */
  get listenerCount(): number {
    return this.emitter.listenerCount + (this.session?.listenerCount ?? 0);
  }

  /** Keeps one subscription on whichever session is current; the old one goes with its session. */
  private followSession(subscribe: (session: ContextSession) => Disposable): Disposable {
    let current = this.session && subscribe(this.session);
    const sub = this.onDidChange(() => {
      current?.dispose();
      current = this.session && subscribe(this.session);
    });
    return {
      dispose: () => {
        sub.dispose();
        current?.dispose();
        current = undefined;
      },
    };
  }

  /** (Re)reads the kubeconfig and opens a session on the chosen context. */
  reload(): void {
    this.disposeSession();
    const source = resolveKubeconfigFiles(this.deps.kubeconfigPath());
    let loaded: LoadedKubeconfig;
    try {
      loaded = loadKubeconfig(source);
    } catch (err) {
      if (err instanceof NoKubeconfigError) {
        this.deps.log.warn(err.message);
        this.set({ kind: 'no-kubeconfig', looked: err.looked });
      } else {
        this.deps.log.error(`Cannot read kubeconfig ${source.files.join(', ')}: ${describeError(err)}`);
        this.set({ kind: 'bad-kubeconfig', message: describeError(err) });
      }
      return;
    }
    if (source.missing.length) this.deps.log.info(`kubeconfig files not found (skipped): ${source.missing.join(', ')}`);
    const remembered = this.deps.memento.get<string>(CONTEXT_KEY);
    const context = remembered && loaded.contexts.includes(remembered) ? remembered : loaded.currentContext;
    this.open(loaded, context);
  }

  switchContext(context: string): void {
    if (this.stateValue.kind !== 'session') return;
    void this.deps.memento.update(CONTEXT_KEY, context);
    const loaded = this.stateValue.kubeconfig;
    this.disposeSession();
    this.open(loaded, context);
  }

  scopeFor(context: string): NamespaceScope {
    const saved = this.deps.memento.get<string[]>(SCOPE_KEY(context));
    return saved && saved.length ? { all: false, namespaces: saved } : { all: true };
  }

  setScope(scope: NamespaceScope): void {
    if (this.stateValue.kind !== 'session') return;
    const context = this.stateValue.session.context;
    void this.deps.memento.update(SCOPE_KEY(context), scope.all ? undefined : scope.namespaces);
    const loaded = this.stateValue.kubeconfig;
    this.disposeSession();
    this.open(loaded, context);
  }

  private open(kubeconfig: LoadedKubeconfig, context: string): void {
    try {
      const scope = this.scopeFor(context);
      const session =
        this.deps.openSession?.(kubeconfig.config, context, scope, this.deps.log) ??
        new ContextSession(kubeconfig.config, context, scope, this.deps.log, { openSocket: this.deps.openSocket });
      this.set({ kind: 'session', kubeconfig, session });
      void session.connect();
    } catch (err) {
      this.deps.log.error(`Cannot open context ${context}: ${describeError(err)}`);
      this.set({ kind: 'bad-kubeconfig', message: `Context "${context}": ${describeError(err)}` });
    }
  }

  private disposeSession(): void {
    if (this.stateValue.kind === 'session') this.stateValue.session.dispose();
  }

  private set(s: ManagerState): void {
    this.stateValue = s;
    this.emitter.fire(s);
  }

  dispose(): void {
    this.disposeSession();
    this.emitter.dispose();
  }
}
