import * as vscode from 'vscode';
import type { BoundSandbox } from '../../core/boundSandbox';
import type { ActivityTracker } from '../../core/finops/activity';
import type { Logger } from '../../core/logging/logger';
import type { KubeObject } from '../../core/model/objects';
import type { ClusterManager } from '../../core/clusterManager';
import { requireReady, UserError } from '../commands/support';

/** A sandbox named with the context it belongs to (a panel's, a file URI's). */
export interface SandboxAt {
  context: string;
  namespace: string;
  name: string;
}

/**
 * What a panel's buttons do: the same feature code the commands run, called directly (never
 * through executeCommand with a made-up tree node). Each reports its own failures like a command.
 */
export interface SandboxActions {
  hibernate(s: SandboxAt): Promise<void>;
  resume(s: SandboxAt): Promise<void>;
  openTerminal(s: SandboxAt): Promise<void>;
  openInWorkspace(s: SandboxAt): Promise<void>;
  forwardPort(s: SandboxAt, port?: number): Promise<void>;
  openPreview(s: SandboxAt, port?: number): Promise<void>;
  /** Delete with the same confirmation as the tree's Delete (a claimed sandbox goes by its claim). */
  delete(kind: 'Sandbox' | 'SandboxClaim', s: SandboxAt, object: KubeObject | undefined): Promise<void>;
}

/** What the details and pool panels' buttons run: the sandbox actions and the panels' own. */
export interface PanelActions extends SandboxActions {
  showDetails(s: SandboxAt): Promise<void>;
  showLogs(s: SandboxAt): Promise<void>;
  editYaml(kind: 'Sandbox' | 'SandboxClaim', s: SandboxAt): Promise<void>;
}

/** What every panel needs; built once in services.ts. */
export interface PanelDeps {
  extensionUri: vscode.Uri;
  manager: ClusterManager;
  log: Logger;
  /** A following log panel holds its sandbox awake (auto-hibernate). */
  activity?: Pick<ActivityTracker, 'hold'>;
}

export function panelKey(kind: string, context: string, namespace: string, name: string): string {
  return `${kind}\u0000${context}\u0000${namespace}\u0000${name}`;
}

/** A panel's binding: the active session's client, for a context that must be the active one. */
export function panelTarget(manager: ClusterManager, context: string, namespace: string, name: string): BoundSandbox {
  const { session, api } = requireReady({ manager });
  if (context && context !== session.context) throw new UserError(`${name} is in context "${context}"; switch to it first.`);
  return { context: session.context, client: session.client, api, namespace, name };
}

/**
 * Panels act on the active context; refuse when the user switched away, so a button in an old
 * panel never acts on a same-named object in another cluster.
 */
export function assertActiveContext(manager: ClusterManager, context: string): void {
  const active = manager.session?.context;
  if (active !== context) throw new Error(`This panel shows context "${context}", but the active context is "${active ?? 'none'}". Switch back to act on it.`);
}

/** A keyed set of open panels: opening one that exists reveals it instead. */
export class PanelRegistry<T extends { reveal(): void; dispose(): void }> implements vscode.Disposable {
  private readonly open = new Map<string, T>();

  show(key: string, create: () => T, onDispose: (p: T, cb: () => void) => void): T {
    const existing = this.open.get(key);
    if (existing) {
      existing.reveal();
      return existing;
    }
    const panel = create();
    this.open.set(key, panel);
    onDispose(panel, () => {
      if (this.open.get(key) === panel) this.open.delete(key);
    });
    return panel;
  }

  values(): T[] {
    return [...this.open.values()];
  }

  dispose(): void {
    for (const p of [...this.open.values()]) p.dispose();
    this.open.clear();
  }
}
