import type { CommandContext } from '../support';

/** Retry: connect the current session again, or read the kubeconfig again when there is none. */
export function retryConnection(ctx: CommandContext): void {
  const session = ctx.manager.session;
  if (session) void session.connect();
  else ctx.manager.reload();
}
