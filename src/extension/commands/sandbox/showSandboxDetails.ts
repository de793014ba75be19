import type { ResourceNode } from '../../../core/tree/nodes';
import { sandboxTarget, WithPanels } from './sandboxTarget';

/** Show Details: the details panel of the clicked sandbox (a claim: its sandbox), else of one picked. */
export async function showSandboxDetails(ctx: WithPanels, node?: ResourceNode): Promise<void> {
  const t = await sandboxTarget(ctx, node, 'Show details of which sandbox?');
  if (t) ctx.panels.showDetails(t);
}
