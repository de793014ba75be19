import type { ResourceNode } from '../../../core/tree/nodes';
import { FileNode, isFileNode } from '../../files/fileTree';
import { openInWorkspace } from '../../files/openInWorkspace';
import { sandboxArg } from '../support';
import type { WithFiles } from './fileNodes';

/** Open Sandbox Folder in Workspace: the clicked folder, the clicked sandbox's root folder, else a sandbox picked. */
export function openFolderInWorkspace(ctx: WithFiles, node?: FileNode | ResourceNode): Promise<void> {
  return openInWorkspace(ctx, ctx.files, isFileNode(node) ? node : sandboxArg(ctx, node));
}
