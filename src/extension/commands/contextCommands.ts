import * as vscode from 'vscode';
import { contextNamespace } from '../../core/k8s/kubeconfig';
import { CommandContext, register, UserError } from './support';
import { writeUserSetting } from '../config';

/** Context, namespace and kubeconfig choices; Refresh, Retry and the log. */
export function registerContextCommands(ctx: CommandContext): vscode.Disposable[] {
  return [
    // Without a usable kubeconfig there is no model to refresh: read the kubeconfig again (a
    // cluster created after VS Code started, a kubeconfig fixed by hand).
    register(ctx, 'agentSandbox.refresh', () => (ctx.manager.state.kind === 'session' ? ctx.tree.refresh() : ctx.manager.reload())),
    register(ctx, 'agentSandbox.retry', () => {
      const session = ctx.manager.session;
      if (session) void session.connect();
      else ctx.manager.reload();
    }),
    register(ctx, 'agentSandbox.showLog', () => ctx.log.show()),
    register(ctx, 'agentSandbox.switchContext', async () => {
      const state = ctx.manager.state;
      if (state.kind !== 'session') throw new UserError('No kubeconfig is loaded. Use "Agent Sandbox: Choose Kubeconfig File…" first.');
      const current = state.session.context;
      const picked = await vscode.window.showQuickPick(
        state.kubeconfig.contexts.map((c) => {
          const cluster = state.kubeconfig.config.contexts.find((x) => x.name === c)?.cluster;
          return {
            label: c,
            description: [c === current ? 'active' : '', c === state.kubeconfig.currentContext ? 'kubeconfig current-context' : ''].filter(Boolean).join(' · '),
            ...(cluster === undefined ? {} : { detail: cluster }),
          };
        }),
        { title: 'Switch Agent Sandbox context (your kubeconfig is not changed)' },
      );
      if (picked && picked.label !== current) ctx.manager.switchContext(picked.label);
    }),
    register(ctx, 'agentSandbox.chooseNamespaces', () => chooseNamespaces(ctx)),
    register(ctx, 'agentSandbox.pickKubeconfig', async () => {
      const files = await vscode.window.showOpenDialog({ title: 'Choose a kubeconfig file', canSelectMany: false, openLabel: 'Use this kubeconfig' });
      const [file] = files ?? [];
      if (!file) return;
      await writeUserSetting('kubeconfig', file.fsPath);
    }),
  ];
}

async function chooseNamespaces(ctx: CommandContext): Promise<void> {
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
