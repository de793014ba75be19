import * as vscode from 'vscode';
import type { KindName } from '../../core/k8s/resources';
import { collectionPath } from '../../core/k8s/resources';
import type { KubeObject } from '../../core/model/objects';
import { poolReplicas } from '../../core/model/pool';
import { sandboxState } from '../../core/model/sandbox';
import { ReadySession, UserError } from './support';

/**
 * The objects of a kind in the chosen namespaces: from the live model when it runs (the tree is
 * visible), else read once from the API — commands from the palette must not depend on the tree.
 */
export async function objectsOf(ready: ReadySession, kind: KindName): Promise<KubeObject[]> {
  if (ready.model.isRunning) return ready.model.all(kind);
  const scope = ready.session.scope;
  const namespaces: (string | undefined)[] = scope.all ? [undefined] : scope.namespaces;
  const lists = await Promise.all(
    namespaces.map((ns) => ready.session.client.get<{ items: KubeObject[] }>(collectionPath(ready.api, kind, ns), { what: `list ${kind}` })),
  );
  return lists.flatMap((l) => l.items ?? []);
}

function describe(kind: KindName, o: KubeObject): string {
  if (kind === 'Sandbox') return sandboxState(o);
  if (kind === 'SandboxWarmPool') return `${poolReplicas(o).ready}/${poolReplicas(o).desired} ready`;
  return '';
}

/** A quick pick over one kind; undefined when the user cancels. */
export async function pickLive(ready: ReadySession, kind: 'Sandbox' | 'SandboxWarmPool', title: string): Promise<KubeObject | undefined> {
  const objects = await objectsOf(ready, kind);
  if (objects.length === 0)
    throw new UserError(kind === 'Sandbox' ? 'There are no sandboxes in the chosen namespaces.' : 'There are no warm pools in the chosen namespaces.');
  const picked = await vscode.window.showQuickPick(
    objects
      .sort((a, b) => a.metadata.name.localeCompare(b.metadata.name))
      .map((o) => ({ label: o.metadata.name, description: [o.metadata.namespace, describe(kind, o)].filter(Boolean).join(' · '), o })),
    { title, matchOnDescription: true },
  );
  return picked?.o;
}
