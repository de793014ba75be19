import type { ResourceNode } from '../../../core/tree/nodes';
import { openTerminals } from '../../terminal/openTerminal';
import { selectedNodes } from '../args';
import { CommandContext, requireReady } from '../support';
import { pickTerminalSandbox, terminalSandboxOf } from './terminalPick';

/** Open Terminal: one per selected sandbox or claim (a claim: its sandbox), else in a sandbox picked. */
export async function openTerminalInSandbox(ctx: CommandContext, node?: ResourceNode, selection?: ResourceNode[]): Promise<void> {
  const nodes = selectedNodes(node, selection);
  const refs = nodes.length ? undefined : await pickTerminalSandbox(ctx, 'Open a terminal in sandbox');
  const ready = requireReady(ctx);
  await openTerminals(ctx, refs ?? nodes.map((n) => terminalSandboxOf(ready, n)));
}
