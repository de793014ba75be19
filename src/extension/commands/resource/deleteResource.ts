import { claimSandboxName } from '../../../core/model/claim';
import type { ResourceNode } from '../../../core/tree/nodes';
import { DeleteTarget, deleteObjects } from '../../lifecycle/deleteObjects';
import { selectedNodes } from '../args';
import { CommandContext, pickObject, requireReady } from '../support';

/** Delete: the selected claims and sandboxes (other kinds are left alone), else a claim picked. */
export async function deleteResource(ctx: CommandContext, node?: ResourceNode, selection?: ResourceNode[]): Promise<void> {
  const { model } = requireReady(ctx);
  const targets: DeleteTarget[] = selectedNodes(node, selection).flatMap((n) =>
    n.kind === 'SandboxClaim' || n.kind === 'Sandbox' ? [{ kind: n.kind, namespace: n.namespace, name: n.name, object: n.object }] : [],
  );
  if (targets.length === 0) {
    const claim = await pickObject(model, 'SandboxClaim', 'Delete which claim?', (c) => claimSandboxName(c) ?? 'not bound');
    if (!claim) return;
    targets.push({ kind: 'SandboxClaim', namespace: claim.metadata.namespace ?? '', name: claim.metadata.name, object: claim });
  }
  await deleteObjects(ctx, targets);
}
