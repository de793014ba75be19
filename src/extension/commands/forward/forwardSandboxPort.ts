import type { ResourceNode } from '../../../core/tree/nodes';
import type { ForwardManager } from '../../forwards/forwardManager';
import { forwardPort } from '../../forwards/forwardPort';
import { sandboxTarget, WithPanels } from '../sandbox/sandboxTarget';

/** Forward Port…: of the clicked sandbox (a claim: its sandbox), else of one picked; a tooltip's link also names the port. */
export async function forwardSandboxPort(ctx: WithPanels & { forwards: ForwardManager }, node?: ResourceNode, port?: number): Promise<void> {
  const t = await sandboxTarget(ctx, node, 'Forward a port of which sandbox?');
  if (t) await forwardPort(ctx, ctx.forwards, t, port);
}
