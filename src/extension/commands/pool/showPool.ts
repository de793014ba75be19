import type { ResourceNode } from '../../../core/tree/nodes';
import type { WithPanels } from '../sandbox/sandboxTarget';
import { pickLive } from '../livePick';
import { requireReady } from '../support';

/** Show Warm Pool: the pool panel of the clicked warm pool, else of one picked. */
export async function showPool(ctx: WithPanels, node?: ResourceNode): Promise<void> {
  const ready = requireReady(ctx);
  const pool = node?.kind === 'SandboxWarmPool' ? node.object : await pickLive(ready, 'SandboxWarmPool', 'Show which warm pool?');
  if (!pool) return;
  ctx.panels.showPool(ctx.panels.target({ context: ready.session.context, namespace: pool.metadata.namespace ?? '', name: pool.metadata.name }));
}
