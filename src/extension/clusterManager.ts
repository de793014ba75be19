import * as vscode from 'vscode';
import { describeError } from '../core/k8s/errors';
import { LoadedKubeconfig, loadKubeconfig, NoKubeconfigError, resolveKubeconfigFiles } from '../core/k8s/kubeconfig';
import type { Logger } from '../core/logging/logger';
import type { NamespaceScope } from '../core/model/clusterModel';
import { ContextSession } from '../core/session';
import { readSettings } from './config';

export type ManagerState =
  | { kind: 'no-kubeconfig'; looked: string[] }
  | { kind: 'bad-kubeconfig'; message: string }
  | { kind: 'session'; kubeconfig: LoadedKubeconfig; session: ContextSession };

const CONTEXT_KEY = 'agentSandbox.activeContext';
const SCOPE_KEY = (context: string) => `agentSandbox.namespaces.${context}`;

/**
 * Owns the "context" lifetime: which kubeconfig and context are active, the namespace choice per
 * context (remembered in global state, never written to the kubeconfig), and the live session.
 */
export class ClusterManager implements vscode.Disposable {
  private stateValue: ManagerState = { kind: 'no-kubeconfig', looked: [] };
  private readonly emitter = new vscode.EventEmitter<ManagerState>();
  readonly onDidChange = this.emitter.event;

  constructor(
    private readonly memento: vscode.Memento,
    private readonly log: Logger,
  ) {}

  get state(): ManagerState {
    return this.stateValue;
  }

  get session(): ContextSession | undefined {
    return this.stateValue.kind === 'session' ? this.stateValue.session : undefined;
  }

  /** (Re)reads the kubeconfig and opens a session on the chosen context. */
  reload(): void {
    this.disposeSession();
    const source = resolveKubeconfigFiles(readSettings().kubeconfig);
    let loaded: LoadedKubeconfig;
    try {
      loaded = loadKubeconfig(source);
    } catch (err) {
      if (err instanceof NoKubeconfigError) {
        this.log.warn(err.message);
        this.set({ kind: 'no-kubeconfig', looked: err.looked });
      } else {
        this.log.error(`Cannot read kubeconfig ${source.files.join(', ')}: ${describeError(err)}`);
        this.set({ kind: 'bad-kubeconfig', message: describeError(err) });
      }
      return;
    }
    if (source.missing.length) this.log.info(`kubeconfig files not found (skipped): ${source.missing.join(', ')}`);
    const remembered = this.memento.get<string>(CONTEXT_KEY);
    const context = remembered && loaded.contexts.includes(remembered) ? remembered : loaded.currentContext;
    this.open(loaded, context);
  }

  switchContext(context: string): void {
    if (this.stateValue.kind !== 'session') return;
    void this.memento.update(CONTEXT_KEY, context);
    const loaded = this.stateValue.kubeconfig;
    this.disposeSession();
    this.open(loaded, context);
  }

  scopeFor(context: string): NamespaceScope {
    const saved = this.memento.get<string[]>(SCOPE_KEY(context));
    return saved && saved.length ? { all: false, namespaces: saved } : { all: true };
  }

  setScope(scope: NamespaceScope): void {
    if (this.stateValue.kind !== 'session') return;
    const context = this.stateValue.session.context;
    void this.memento.update(SCOPE_KEY(context), scope.all ? undefined : scope.namespaces);
    const loaded = this.stateValue.kubeconfig;
    this.disposeSession();
    this.open(loaded, context);
  }

  private open(kubeconfig: LoadedKubeconfig, context: string): void {
    try {
      const session = new ContextSession(kubeconfig.config, context, this.scopeFor(context), this.log);
      this.set({ kind: 'session', kubeconfig, session });
      void session.connect();
    } catch (err) {
      this.log.error(`Cannot open context ${context}: ${describeError(err)}`);
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
