import { suspendSandboxes } from '../../lifecycle/suspendSandboxes';
import type { ResourceNode } from '../../../core/tree/nodes';
import { selectedNodes } from '../args';
import { CommandContext, requireReady, sandboxesOrPick } from '../support';

/** Resume on the selected sandboxes or claims (a claim: its sandbox), else on hibernated sandboxes picked from a list. */
export async function resumeSandbox(ctx: CommandContext, node?: ResourceNode, selection?: ResourceNode[]): Promise<void> {
  const { model } = requireReady(ctx);
  const targets = await sandboxesOrPick(model, selectedNodes(node, selection), 'Resume sandboxes', ['Hibernated', 'Hibernating']);
  await suspendSandboxes(ctx, false, targets);
}
