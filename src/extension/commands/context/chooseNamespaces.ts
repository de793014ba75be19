import * as vscode from 'vscode';
import { contextNamespace } from '../../../core/k8s/kubeconfig';
import { CommandContext, UserError } from '../support';

/** Choose Namespaces…: the namespaces the API lists, the context's and the ones shown now; All, or one typed in. */
export async function chooseNamespaces(ctx: CommandContext): Promise<void> {
  const session = ctx.manager.session;
  const state = ctx.manager.state;
  if (!session || state.kind !== 'session') throw new UserError('No cluster is selected.');
  const scope = ctx.manager.scopeFor(session.context);
  const names = new Set<string>();
  try {
    const list = await session.client.get<{ items: { metadata: { name: string } }[] }>('/api/v1/namespaces', { what: 'list namespaces', timeoutMs: 15_000 });
    for (const n of list.items) names.add(n.metadata.name);
  } catch (err) {
    ctx.log.warn(`Cannot list namespaces (${(err as Error).message}); offering the known ones`);
  }
  const fromContext = contextNamespace(state.kubeconfig.config, session.context);
  if (fromContext) names.add(fromContext);
  if (!scope.all) for (const n of scope.namespaces) names.add(n);
  if (session.state.kind === 'ready') for (const n of session.state.model.namespaces()) names.add(n);
  const ALL = '$(globe) All namespaces';
  const OTHER = '$(edit) Type a namespace…';
  const items: vscode.QuickPickItem[] = [
    { label: ALL, picked: scope.all, description: 'needs permission to list cluster-wide' },
    ...[...names].sort().map((n) => ({ label: n, picked: !scope.all && scope.namespaces.includes(n) })),
    { label: OTHER },
  ];
  const picked = await vscode.window.showQuickPick(items, { title: `Namespaces to show for ${session.context}`, canPickMany: true });
  if (!picked) return;
  const labels = picked.map((p) => p.label);
  if (labels.includes(ALL) || labels.length === 0) return ctx.manager.setScope({ all: true });
  const chosen = labels.filter((l) => l !== OTHER);
  if (labels.includes(OTHER)) {
    const typed = await vscode.window.showInputBox({
      title: 'Namespace',
      validateInput: (v) => (/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(v.trim()) ? undefined : 'Not a valid namespace name'),
    });
    if (typed) chosen.push(typed.trim());
  }
  if (chosen.length) ctx.manager.setScope({ all: false, namespaces: [...new Set(chosen)] });
}
