import * as vscode from 'vscode';
import { baseName, joinPath, parentPath } from '../../../core/files/uri';
import type { FileNode } from '../../files/fileTree';
import { fileUri } from '../../files/uris';
import { validateFileName } from './createFile';
import { entryOf } from './fileNodes';

/** Rename…: the clicked file or folder, the name without its extension selected. */
export async function renameFile(node?: FileNode): Promise<void> {
  const entry = entryOf(node);
  const oldName = baseName(entry.path);
  const dot = oldName.lastIndexOf('.');
  const name = await vscode.window.showInputBox({
    title: `Rename ${entry.path}`,
    value: oldName,
    valueSelection: [0, dot > 0 ? dot : oldName.length],
    validateInput: validateFileName,
  });
  if (!name || name === oldName) return;
  // Through workspace.fs, so VS Code hears of it (open editors, the Explorer of a workspace folder).
  await vscode.workspace.fs.rename(fileUri(entry.target, entry.path), fileUri(entry.target, joinPath(parentPath(entry.path), name)), { overwrite: false });
}
