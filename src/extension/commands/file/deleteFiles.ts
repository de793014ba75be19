import * as vscode from 'vscode';
import { parentPath } from '../../../core/files/uri';
import type { FileEntryNode, FileNode } from '../../files/fileTree';
import type { SandboxFiles } from '../../files/sandboxFiles';
import { fileUri } from '../../files/uris';
import { UserError } from '../support';

/** Delete File…: the selected files and folders (the clicked one alone when it is not in the selection), after a modal confirmation. */
export async function deleteFiles(files: SandboxFiles, node?: FileNode, selection?: FileNode[]): Promise<void> {
  const picked = node && selection?.includes(node) ? selection : [node];
  const nodes = picked.filter((n): n is FileEntryNode => n?.role === 'entry');
  const [first] = nodes;
  if (!first) throw new UserError("Choose files or folders in a sandbox's Files.");
  const dirs = nodes.filter((n) => n.entry.kind === 'directory' && !n.entry.isLink).length;
  const what =
    nodes.length === 1
      ? `"${first.path}"${dirs ? ' and everything in it' : ''}`
      : `${nodes.length} items${dirs ? ` (${dirs} folder${dirs === 1 ? '' : 's'} with their contents)` : ''}`;
  const choice = await vscode.window.showWarningMessage(
    `Delete ${what} from sandbox ${first.target.sandbox}?`,
    { modal: true, detail: 'This cannot be undone: the sandbox has no trash.' },
    'Delete',
  );
  if (choice !== 'Delete') return;
  for (const n of nodes) {
    await vscode.workspace.fs.delete(fileUri(n.target, n.path), { recursive: true, useTrash: false });
  }
  for (const n of nodes) files.changed(fileUri(n.target, parentPath(n.path)));
}
