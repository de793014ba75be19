import type { ResourceNode } from '../../../core/tree/nodes';
import { CommandContext, pickSandboxes, requireReady } from '../support';

/** The clicked object, else a sandbox picked from a list (as a node of the active context). */
export async function resourceOrPick(ctx: CommandContext, node: ResourceNode | undefined): Promise<ResourceNode | undefined> {
  if (node) return node;
  const { model, session } = requireReady(ctx);
  const [ref] = await pickSandboxes(model, 'Which sandbox?', undefined, false);
  if (!ref) return undefined;
  const obj = model.get('Sandbox', ref.namespace, ref.name);
  if (!obj) return undefined;
  return { type: 'resource', id: '', context: session.context, namespace: ref.namespace, kind: 'Sandbox', name: ref.name, object: obj };
}
