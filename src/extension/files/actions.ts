import * as os from 'node:os';
import * as vscode from 'vscode';
import { describeError } from '../../core/k8s/errors';
import { baseName, joinPath, parentPath } from '../../core/files/uri';
import type { SandboxFileSystem } from '../../core/files/sandboxFs';
import { FileNode, FileTreeContribution, isFolderNode } from './fileTree';
import { download, TransferCancelled, TransferProgress, upload } from './transfer';
import { fileUri } from './uris';

/** What the file actions use of the files feature; SandboxFiles provides it (and depends on this file, not back). */
export interface FilesFeature {
  readonly fs: SandboxFileSystem;
  readonly tree: FileTreeContribution;
  /** Something changed in a sandbox folder outside the provider's own methods: refresh it. */
  changed(folder: vscode.Uri): void;
}

/** Where a node's file lives: its target and path (resolving the Files root). */
export async function locationOf(files: FilesFeature, node: FileNode): Promise<{ uri: vscode.Uri; path: string; isDir: boolean }> {
  const path = await files.tree.folderPath(node);
  const isDir = node.role === 'filesRoot' || node.entry.kind === 'directory';
  return { uri: fileUri(node.target, path), path, isDir };
}

function progressFor(progress: vscode.Progress<{ message?: string }>, token: vscode.CancellationToken): TransferProgress {
  return {
    report: (message) => progress.report({ message }),
    token,
    confirmReplace: async (name) => {
      const choice = await vscode.window.showWarningMessage(`${name} already exists. Replace it?`, { modal: true }, 'Replace', 'Replace All', 'Skip');
      return choice === 'Replace' ? 'yes' : choice === 'Replace All' ? 'all' : choice === 'Skip' ? 'no' : 'cancel';
    },
  };
}

/** Uploads local files/folders into a folder node, with progress and cancellation. */
export async function uploadInto(files: FilesFeature, folder: FileNode, sources: vscode.Uri[]): Promise<void> {
  if (!isFolderNode(folder) || sources.length === 0) return;
  const { uri, path } = await locationOf(files, folder);
  const label = sources.length === 1 ? baseName(sources[0]!.path) : `${sources.length} items`;
  try {
    const n = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Uploading ${label} to ${folder.target.sandbox}:${path}`, cancellable: true },
      (progress, token) => upload(files.fs, sources, folder.target, path, progressFor(progress, token)),
    );
    void vscode.window.setStatusBarMessage(`Uploaded ${n} file${n === 1 ? '' : 's'} to ${folder.target.sandbox}:${path}`, 5000);
  } catch (err) {
    if (!(err instanceof TransferCancelled)) throw err;
  } finally {
    files.changed(uri);
  }
}

/** Downloads a file node to a chosen local file, or a folder node into a chosen local folder. */
export async function downloadNode(files: FilesFeature, node: FileNode): Promise<void> {
  const { path, isDir } = await locationOf(files, node);
  await downloadPath(files, node.target, path, isDir);
}

export async function downloadPath(files: FilesFeature, target: FileNode['target'], path: string, isDir: boolean): Promise<void> {
  const name = path === '/' ? target.sandbox : baseName(path);
  let dest: vscode.Uri | undefined;
  if (isDir) {
    const picked = await vscode.window.showOpenDialog({
      canSelectFiles: false,
      canSelectFolders: true,
      canSelectMany: false,
      openLabel: `Download ${name} Here`,
      title: `Download folder ${name} into…`,
    });
    dest = picked?.[0] ? vscode.Uri.joinPath(picked[0], name) : undefined;
  } else {
    dest = await vscode.window.showSaveDialog({
      defaultUri: vscode.Uri.joinPath(vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme === 'file')?.uri ?? vscode.Uri.file(os.homedir()), name),
      title: `Download ${name}`,
      saveLabel: 'Download',
    });
  }
  if (!dest) return;
  if (dest.scheme !== 'file') throw new Error('Downloads go to a local folder.');
  const to = dest.fsPath;
  try {
    const r = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Downloading ${name}`, cancellable: true },
      (progress, token) => download(files.fs, target, path, isDir, to, progressFor(progress, token)),
    );
    const n = r.files;
    const skipped = r.skipped.length ? ` ${r.skipped.length} skipped: ${r.skipped.slice(0, 3).join(' ')}${r.skipped.length > 3 ? ' …' : ''}` : '';
    const show = r.skipped.length ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
    const open = await show(`Downloaded ${isDir ? `${n} file${n === 1 ? '' : 's'} into ` : ''}${to}.${skipped}`, isDir ? 'Reveal' : 'Open');
    if (open === 'Open') await vscode.commands.executeCommand('vscode.open', dest);
    if (open === 'Reveal') await vscode.commands.executeCommand('revealFileInOS', dest);
  } catch (err) {
    if (!(err instanceof TransferCancelled)) throw err;
  }
}

/** Moves tree nodes (dragged within the tree) into a folder node of the same sandbox container. */
export async function moveInto(files: FilesFeature, folder: FileNode, nodes: FileNode[]): Promise<void> {
  if (!isFolderNode(folder)) return;
  const { uri: destUri, path: destDir } = await locationOf(files, folder);
  for (const n of nodes) {
    if (n.role !== 'entry') continue;
    if (parentPath(n.path) === destDir || n.path === destDir) continue;
    const to = fileUri(folder.target, joinPath(destDir, baseName(n.path)));
    try {
      await vscode.workspace.fs.rename(fileUri(n.target, n.path), to, { overwrite: false });
    } catch (err) {
      if (err instanceof vscode.FileSystemError && err.code === 'FileExists') {
        const choice = await vscode.window.showWarningMessage(`${baseName(n.path)} already exists in ${destDir}. Replace it?`, { modal: true }, 'Replace');
        if (choice === 'Replace') await vscode.workspace.fs.rename(fileUri(n.target, n.path), to, { overwrite: true });
      } else throw new Error(`Cannot move ${n.path}: ${describeError(err)}`, { cause: err });
    }
    files.changed(fileUri(n.target, parentPath(n.path)));
  }
  files.changed(destUri);
}
