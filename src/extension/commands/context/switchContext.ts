import * as vscode from 'vscode';
import { CommandContext, UserError } from '../support';

/** Switch Context…: the kubeconfig's contexts; the choice is this extension's, the kubeconfig is not changed. */
export async function switchContext(ctx: CommandContext): Promise<void> {
  const state = ctx.manager.state;
  if (state.kind !== 'session') throw new UserError('No kubeconfig is loaded. Use "Agent Sandbox: Choose Kubeconfig File…" first.');
  const current = state.session.context;
  const cluster = (c: string) => state.kubeconfig.config.contexts.find((x) => x.name === c)?.cluster;
  const picked = await vscode.window.showQuickPick(
    state.kubeconfig.contexts.map((c) => {
      const clusterName = cluster(c);
      return {
        label: c,
        description: [c === current ? 'active' : '', c === state.kubeconfig.currentContext ? 'kubeconfig current-context' : ''].filter(Boolean).join(' · '),
        ...(clusterName === undefined ? {} : { detail: clusterName }),
      };
    }),
    { title: 'Switch Agent Sandbox context (your kubeconfig is not changed)' },
  );
  if (picked && picked.label !== current) ctx.manager.switchContext(picked.label);
}
