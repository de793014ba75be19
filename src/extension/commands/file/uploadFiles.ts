import * as vscode from 'vscode';
import type { ResourceNode } from '../../../core/tree/nodes';
import { locationOf, uploadInto } from '../../files/actions';
import { pseudoFolder, rootNodeFor } from '../../files/filesRoot';
import { FileNode, isFileNode, isFolderNode } from '../../files/fileTree';
import { fromUri } from '../../files/uris';
import { sandboxArg, UserError } from '../support';
import type { WithFiles } from './fileNodes';

/**
 * Upload…: into the clicked folder of a sandbox's Files, a sandbox folder in the Explorer (a Uri),
 * or the Files root of the clicked sandbox; from the palette, of a running sandbox picked.
 */
export async function uploadFiles(ctx: WithFiles, node?: FileNode | ResourceNode | vscode.Uri): Promise<void> {
  const { files } = ctx;
  let folder: FileNode | undefined;
  if (isFileNode(node)) folder = isFolderNode(node) ? node : undefined;
  else if (node instanceof vscode.Uri) {
    const st = await vscode.workspace.fs.stat(node);
    const dirUri = st.type & vscode.FileType.Directory ? node : vscode.Uri.joinPath(node, '..');
    const { target, path } = fromUri(dirUri);
    const sources = await pickUploads(`${target.sandbox}:${path}`);
    if (!sources) return;
    return uploadInto(files, pseudoFolder(target, path), sources);
  } else {
    folder = await rootNodeFor(ctx, files, sandboxArg(ctx, node));
  }
  if (!folder) throw new UserError("Choose a folder in a sandbox's Files to upload into.");
  const { path } = await locationOf(files, folder);
  const sources = await pickUploads(`${folder.target.sandbox}:${path}`);
  if (sources) await uploadInto(files, folder, sources);
}

function pickUploads(where: string): Thenable<vscode.Uri[] | undefined> {
  return vscode.window.showOpenDialog({ canSelectFiles: true, canSelectFolders: true, canSelectMany: true, openLabel: 'Upload', title: `Upload to ${where}` });
}
