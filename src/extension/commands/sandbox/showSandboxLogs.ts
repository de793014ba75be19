import type { ResourceNode } from '../../../core/tree/nodes';
import { sandboxTarget, WithPanels } from './sandboxTarget';

/** Show Sandbox Logs: the logs panel of the clicked sandbox (a claim: its sandbox), else of one picked. */
export async function showSandboxLogs(ctx: WithPanels, node?: ResourceNode): Promise<void> {
  const t = await sandboxTarget(ctx, node, 'Show the log of which sandbox?');
  if (t) await ctx.panels.showLogs(t);
}
