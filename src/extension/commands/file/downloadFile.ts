import * as vscode from 'vscode';
import { downloadNode, downloadPath } from '../../files/actions';
import type { FileNode } from '../../files/fileTree';
import type { SandboxFiles } from '../../files/sandboxFiles';
import { fromUri, isSandboxUri } from '../../files/uris';
import { UserError } from '../support';

/** Download…: the clicked file or folder, a sandbox file in the Explorer (a Uri), else the sandbox file in the active editor. */
export async function downloadFile(files: SandboxFiles, node?: FileNode | vscode.Uri): Promise<void> {
  if (node instanceof vscode.Uri) {
    const st = await vscode.workspace.fs.stat(node);
    const { target, path } = fromUri(node);
    return downloadPath(files, target, path, (st.type & vscode.FileType.Directory) !== 0);
  }
  if (node) return downloadNode(files, node);
  const active = vscode.window.activeTextEditor?.document.uri;
  if (active && isSandboxUri(active)) {
    const { target, path } = fromUri(active);
    return downloadPath(files, target, path, false);
  }
  throw new UserError("Choose a file or folder in a sandbox's Files to download.");
}
