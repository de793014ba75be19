import type { ResourceNode } from '../../../core/tree/nodes';
import { CommandContext, pickSandboxes, ReadySession, requireReady, sandboxOf, SandboxRef, UserError } from '../support';

/** The sandbox a clicked node means, refused when the node is from another context. */
export function terminalSandboxOf(ready: ReadySession, node: ResourceNode): SandboxRef {
  // A node from before a context switch must not open a shell on the new context's cluster.
  if (node.context !== ready.session.context) throw new UserError(`${node.name} belongs to context ${node.context}, which is no longer active.`);
  return sandboxOf(node, ready.model);
}

/** One sandbox that can have a terminal (running, or hibernated: it resumes first), picked from a list; undefined when cancelled. */
export async function pickTerminalSandbox(ctx: CommandContext, title: string): Promise<SandboxRef[] | undefined> {
  const { model } = requireReady(ctx);
  const picked = await pickSandboxes(model, title, ['Running', 'Starting', 'Hibernated', 'Hibernating'], false);
  return picked.length ? picked : undefined;
}
