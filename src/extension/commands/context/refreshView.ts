import type { CommandContext } from '../support';

/**
 * Refresh. Without a usable kubeconfig there is no model to refresh: read the kubeconfig again (a
 * cluster created after VS Code started, a kubeconfig fixed by hand).
 */
export function refreshView(ctx: CommandContext): void {
  if (ctx.manager.state.kind === 'session') ctx.tree.refresh();
  else ctx.manager.reload();
}
