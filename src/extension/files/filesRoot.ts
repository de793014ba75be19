import { defaultContainer } from '../../core/files/locator';
import { baseName, type FileTarget } from '../../core/files/uri';
import { type CommandContext, pickSandboxes, requireReady, type SandboxRef, UserError } from '../commands/support';
import type { FilesFeature } from './actions';
import type { FileNode } from './fileTree';
import { fileUri } from './uris';

/** The Files root of a sandbox (or of a running sandbox picked from a list when none is given). */
export async function rootNodeFor(ctx: Pick<CommandContext, 'manager'>, files: FilesFeature, ref: SandboxRef | undefined): Promise<FileNode> {
  const { model, session } = requireReady(ctx);
  let namespace: string;
  let name: string;
  if (ref) ({ namespace, name } = ref);
  else {
    const [picked] = await pickSandboxes(model, 'Choose a running sandbox', ['Running'], false);
    if (!picked) throw new UserError('No sandbox was chosen.');
    ({ namespace, name } = picked);
  }
  const sb = model.get('Sandbox', namespace, name);
  const container = sb ? defaultContainer(sb) : undefined;
  if (!sb || !container) throw new UserError(`Sandbox ${name} is not known or has no containers.`);
  const target: FileTarget = { context: session.context, namespace, sandbox: name, container };
  return pseudoFolder(target, await files.tree.rootPath(target));
}

/** A folder node for a path outside the tree (the Explorer's context menu, the command palette). */
export function pseudoFolder(target: FileTarget, path: string): FileNode {
  return {
    type: 'contributed',
    id: `files-ref:${fileUri(target, path).toString()}`,
    role: 'entry',
    target,
    path,
    entry: { name: baseName(path), kind: 'directory', isLink: false },
  };
}
