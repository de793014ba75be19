import type { ResourceNode } from '../../../core/tree/nodes';
import type { ForwardManager } from '../../forwards/forwardManager';
import { openPreview } from '../../preview/openPreview';
import type { RouterTokens } from '../../preview/routerTokens';
import { sandboxTarget, WithPanels } from '../sandbox/sandboxTarget';

export type PreviewServices = WithPanels & { forwards: ForwardManager; tokens: RouterTokens };

/** Open Preview… (router path-routing URL, else the exec relay) of the clicked sandbox, else of one picked; a tooltip's link also names the port. */
export async function openSandboxPreview(ctx: PreviewServices, node?: ResourceNode, port?: number): Promise<void> {
  const t = await sandboxTarget(ctx, node, 'Preview a port of which sandbox?');
  if (t) await openPreview(ctx, ctx.forwards, ctx.tokens, t, port);
}
