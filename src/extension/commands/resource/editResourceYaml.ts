import type { ResourceNode } from '../../../core/tree/nodes';
import { openEditableYaml } from '../../yaml/editableYaml';
import { sandboxTarget, WithPanels } from '../sandbox/sandboxTarget';
import { requireReady } from '../support';

/** Edit YAML: an editable document of the clicked object (any kind), else of a sandbox picked. */
export async function editResourceYaml(ctx: WithPanels, node?: ResourceNode): Promise<void> {
  if (node) return openEditableYaml(node.context || requireReady(ctx).session.context, node.kind, node.namespace, node.name);
  const t = await sandboxTarget(ctx, undefined, 'Edit the YAML of which sandbox?');
  if (t) await openEditableYaml(t.context, 'Sandbox', t.namespace, t.name);
}
