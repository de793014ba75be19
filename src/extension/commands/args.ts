import type { BucketNode, GroupNode, ResourceNode, TreeNode } from '../../core/tree/nodes';

/*
 * What VS Code passes a command is unknown: a clicked node and the selection from a tree, a Uri
 * from the Explorer, nothing from the palette, a port from a tooltip's link. register() turns it
 * into a handler's typed arguments with one of these, so a handler is `(node?: X, …)` and treats
 * "no node" as "ask with a picker". Plain functions, no VS Code at run time: unit-tested in Node.
 */

export type Guard<T> = (x: unknown) => x is T;

/** Turns the raw arguments of a command into its handler's; what is not of the expected type becomes undefined. */
export type ArgsOf<A extends unknown[]> = (args: readonly unknown[]) => A;

export function isResourceNode(x: unknown): x is ResourceNode {
  return !!x && typeof x === 'object' && (x as TreeNode).type === 'resource';
}

/** The Sandboxes group of a namespace, or one of its state/owner buckets. */
export function isSandboxGroup(x: unknown): x is GroupNode | BucketNode {
  const n = x as TreeNode | undefined;
  return !!n && typeof n === 'object' && (n.type === 'bucket' || (n.type === 'group' && n.kind === 'Sandbox'));
}

type Guarded<G> = G extends Guard<infer T> ? T : never;

/** A value any of the guards accepts (a command that takes a file node, a sandbox node or a Uri). */
export function oneOf<G extends Guard<unknown>[]>(...guards: G): Guard<Guarded<G[number]>> {
  return (x): x is Guarded<G[number]> => guards.some((is) => is(x));
}

/** A clicked node (none from the palette) and, from a tree, the selection it was clicked in. */
export function nodeArgs<N>(is: Guard<N>): ArgsOf<[node: N | undefined, selection: N[] | undefined]> {
  return ([node, selection]) => [is(node) ? node : undefined, Array.isArray(selection) ? selection.filter(is) : undefined];
}

/** A node and a port: a sandbox row's tooltip links pass both (`[node, port]`); a context menu passes only the node. */
export function nodeAndPortArgs<N>(is: Guard<N>): ArgsOf<[node: N | undefined, port: number | undefined]> {
  return ([node, port]) => [is(node) ? node : undefined, typeof port === 'number' ? port : undefined];
}

/** One number from code (Stop Forward with a forward's id); none from the palette. */
export const numberArg: ArgsOf<[n: number | undefined]> = ([n]) => [typeof n === 'number' ? n : undefined];

/** The nodes a command applies to: the multi-selection when the clicked node is part of it, else the clicked node. */
export function selectedNodes(node: ResourceNode | undefined, selection: readonly ResourceNode[] | undefined): ResourceNode[] {
  if (!node) return [];
  const list = selection ?? [];
  return list.some((n) => n.id === node.id) ? [...list] : [node];
}
