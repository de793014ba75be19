import * as vscode from 'vscode';
import type { ActivityTracker } from '../../core/finops/activity';
import type { KubeClient } from '../../core/k8s/client';
import type { ApiModel, KindName } from '../../core/k8s/resources';
import type { Logger } from '../../core/logging/logger';
import type { KubeObject } from '../../core/model/objects';
import type { ClusterManager } from '../clusterManager';
import type { ResourceNode } from '../tree/nodes';

/** What every panel needs; built once by registerInsightCommands. */
export interface PanelDeps {
  extensionUri: vscode.Uri;
  manager: ClusterManager;
  log: Logger;
  /** A following log panel holds its sandbox awake (auto-hibernate). */
  activity?: Pick<ActivityTracker, 'hold'>;
}

/** A panel is bound to the context it was opened in, with that context's client and API versions. */
export interface PanelTarget {
  context: string;
  client: KubeClient;
  api: ApiModel;
  namespace: string;
  name: string;
}

export function panelKey(kind: string, context: string, namespace: string, name: string): string {
  return `${kind}\u0000${context}\u0000${namespace}\u0000${name}`;
}

/** The argument the tree's commands take, for running them from a panel. */
export function resourceNode(context: string, kind: KindName, namespace: string, name: string, object: KubeObject | undefined): ResourceNode {
  return { type: 'resource', id: '', context, namespace, kind, name, object: object ?? { metadata: { name, namespace } } };
}

/**
 * Panels run the tree's commands, which act on the active context; refuse when the user switched
 * away, so a button in an old panel never acts on a same-named object in another cluster.
 */
export function assertActiveContext(manager: ClusterManager, context: string): void {
  const active = manager.session?.context;
  if (active !== context) throw new Error(`This panel shows context "${context}", but the active context is "${active ?? 'none'}". Switch back to act on it.`);
}

/** Runs a command and reports a failure in the log (the command shows its own errors). */
export async function runCommand(log: Logger, id: string, ...args: unknown[]): Promise<void> {
  try {
    await vscode.commands.executeCommand(id, ...args);
  } catch (err) {
    log.error(`${id} from a panel failed: ${(err as Error).message}`);
    throw err;
  }
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
