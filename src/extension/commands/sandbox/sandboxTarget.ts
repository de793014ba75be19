import type { BoundSandbox } from '../../../core/boundSandbox';
import type { ResourceNode } from '../../../core/tree/nodes';
import type { Panels } from '../../panels/panels';
import { pickLive } from '../livePick';
import { CommandContext, requireReady, sandboxOf } from '../support';

export type WithPanels = CommandContext & { panels: Panels };

/** The sandbox a command is about, bound to its context: the clicked sandbox (or a claim's sandbox), else a picker. */
export async function sandboxTarget(ctx: WithPanels, node: ResourceNode | undefined, title: string): Promise<BoundSandbox | undefined> {
  const ready = requireReady(ctx);
  if (node) {
    const ref = sandboxOf(node, ready.model);
    return ctx.panels.target({ context: node.context || ready.session.context, ...ref });
  }
  const sb = await pickLive(ready, 'Sandbox', title);
  return sb ? ctx.panels.target({ context: ready.session.context, namespace: sb.metadata.namespace ?? '', name: sb.metadata.name }) : undefined;
}
