import { FileEntryNode, FileNode, isFolderNode } from '../../files/fileTree';
import type { SandboxFiles } from '../../files/sandboxFiles';
import { CommandContext, UserError } from '../support';

/** What the file commands use: the command services and the sandbox files feature. */
export type WithFiles = CommandContext & { files: SandboxFiles };

/** The clicked folder; file commands have no picker, so without one the user is told where to click. */
export function folderOf(node: FileNode | undefined): FileNode {
  if (node && isFolderNode(node)) return node;
  throw new UserError("Choose a folder in a sandbox's Files.");
}

export function entryOf(node: FileNode | undefined): FileEntryNode {
  if (node?.role === 'entry') return node;
  throw new UserError("Choose a file or folder in a sandbox's Files.");
}
