import { suspendSandboxes } from '../../lifecycle/suspendSandboxes';
import type { ResourceNode } from '../../../core/tree/nodes';
import { selectedNodes } from '../args';
import { CommandContext, requireReady, sandboxesOrPick } from '../support';

/** Hibernate on the selected sandboxes or claims (a claim: its sandbox), else on running sandboxes picked from a list. */
export async function hibernateSandbox(ctx: CommandContext, node?: ResourceNode, selection?: ResourceNode[]): Promise<void> {
  const { model } = requireReady(ctx);
  const targets = await sandboxesOrPick(model, selectedNodes(node, selection), 'Hibernate sandboxes', ['Running', 'Starting']);
  await suspendSandboxes(ctx, true, targets);
}
