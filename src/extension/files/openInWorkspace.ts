import * as vscode from 'vscode';
import { displayConfigName, findWorkspaceConfig } from '../../core/files/workspaceConfig';
import type { FileTarget } from '../../core/files/uri';
import { parentPath } from '../../core/files/uri';
import type { CommandContext, SandboxRef } from '../commands/support';
import type { FilesFeature } from './actions';
import { rootNodeFor } from './filesRoot';
import { FileNode, isFolderNode } from './fileTree';
import { fileUri } from './uris';

/**
 * Adds a sandbox folder as a workspace folder, so VS Code's Explorer, search-in-open-files, diff
 * and quick open work on it: a file node's folder, else the Files root of `ref` (picked when absent).
 */
export async function openInWorkspace(ctx: Pick<CommandContext, 'manager'>, files: FilesFeature, at: FileNode | SandboxRef | undefined): Promise<void> {
  let target: FileTarget;
  let path: string;
  if (at && 'role' in at) {
    target = at.target;
    const p = await files.tree.folderPath(at);
    path = isFolderNode(at) ? p : parentPath(p);
  } else {
    const root = await rootNodeFor(ctx, files, at);
    target = root.target;
    path = await files.tree.folderPath(root);
  }
  const uri = fileUri(target, path);
  const existing = vscode.workspace.getWorkspaceFolder(uri);
  if (existing && existing.uri.toString() === uri.toString()) {
    await vscode.commands.executeCommand('workbench.view.explorer');
    return;
  }
  const name = `${target.sandbox}: ${path}`;
  // The sandbox wrote any .vscode/ in it: once the window is trusted, its tasks and settings run here.
  // We only warn; trusting is left to VS Code's own prompt.
  const config = await findWorkspaceConfig(files.fs, target, path);
  if (config.length) {
    const detail = `${name} contains ${config.map(displayConfigName).join(', ')}, written by the sandbox. If you trust this window, VS Code applies these files: tasks, launch configurations and settings can run programs on this machine. Open it only in a window you do not trust, or remove them first.`;
    const choice = await vscode.window.showWarningMessage(
      `The sandbox folder ${displayConfigName(name)} holds workspace configuration`,
      { modal: true, detail },
      'Add Anyway',
    );
    if (choice !== 'Add Anyway') return;
  }
  if (!vscode.workspace.workspaceFolders?.length && !vscode.workspace.workspaceFile) {
    // An empty window: adding a folder would make VS Code write an untitled workspace and reload
    // into it, and code-server under load has come back from that reload with no folders (the file
    // held them). Opening the folder itself needs no workspace file: it is in the window's address.
    await vscode.commands.executeCommand('vscode.openFolder', uri, { forceReuseWindow: true });
    return;
  }
  const index = vscode.workspace.workspaceFolders?.length ?? 0;
  if (!vscode.workspace.updateWorkspaceFolders(index, 0, { uri, name })) throw new Error(`VS Code refused to add ${name} as a workspace folder.`);
  await vscode.commands.executeCommand('workbench.view.explorer');
}
