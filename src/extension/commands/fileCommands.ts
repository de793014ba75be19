import * as vscode from 'vscode';
import { baseName, joinPath, parentPath } from '../../core/files/uri';
import { downloadNode, downloadPath, locationOf, uploadInto } from '../files/actions';
import { pseudoFolder, rootNodeFor } from '../files/filesRoot';
import { FileNode, isFileNode, isFolderNode } from '../files/fileTree';
import { openInWorkspace } from '../files/openInWorkspace';
import type { SandboxFiles } from '../files/sandboxFiles';
import { fileUri, fromUri, isSandboxUri } from '../files/uris';
import { CommandContext, isResourceNode, register, sandboxArg, UserError } from './support';

/**
 * The commands on sandbox files (New File, New Folder, Rename, Delete, Upload…, Download…, Open
 * Sandbox Folder in Workspace, Refresh); the file system and the tree's Files nodes are SandboxFiles.
 */
export function registerFileCommands(s: CommandContext & { files: SandboxFiles }): vscode.Disposable[] {
  const { files } = s;
  const ctx: CommandContext = s;
  return [
    register(ctx, 'agentSandbox.files.newFile', (arg) => create(files, folderArg(arg), 'file')),
    register(ctx, 'agentSandbox.files.newFolder', (arg) => create(files, folderArg(arg), 'folder')),
    register(ctx, 'agentSandbox.files.rename', (arg) => rename(entryArg(arg))),
    register(ctx, 'agentSandbox.files.delete', (arg, selection) => remove(files, arg, selection)),
    register(ctx, 'agentSandbox.files.upload', (arg) => upload(ctx, files, arg)),
    register(ctx, 'agentSandbox.files.download', (arg) => download(files, arg)),
    register(ctx, 'agentSandbox.files.openInWorkspace', (arg) => openInWorkspace(ctx, files, isFileNode(arg) ? arg : sandboxArg(ctx, arg))),
    register(ctx, 'agentSandbox.files.refresh', (arg) => {
      if (isFileNode(arg)) files.tree.refresh(arg);
    }),
  ];
}

function folderArg(arg: unknown): FileNode {
  if (isFileNode(arg) && isFolderNode(arg)) return arg;
  throw new UserError("Choose a folder in a sandbox's Files.");
}

function entryArg(arg: unknown): Extract<FileNode, { role: 'entry' }> {
  if (isFileNode(arg) && arg.role === 'entry') return arg;
  throw new UserError("Choose a file or folder in a sandbox's Files.");
}

/** A name for a new entry: one path component. */
export function validateFileName(name: string): string | undefined {
  if (!name.trim()) return 'Enter a name.';
  if (name.includes('/')) return 'A name cannot contain "/".';
  if (name.includes('\0')) return 'A name cannot contain NUL.';
  if (name === '.' || name === '..') return `"${name}" is not a valid name.`;
  if (Buffer.byteLength(name) > 255) return 'The name is longer than 255 bytes.';
  return undefined;
}

async function create(files: SandboxFiles, folder: FileNode, what: 'file' | 'folder'): Promise<void> {
  const { path: dir, uri: dirUri } = await locationOf(files, folder);
  const name = await vscode.window.showInputBox({
    title: `New ${what === 'file' ? 'File' : 'Folder'} in ${folder.target.sandbox}:${dir}`,
    prompt: 'Name',
    validateInput: validateFileName,
  });
  if (!name) return;
  const path = joinPath(dir, name);
  if (what === 'folder') await files.fs.mkdir(folder.target, path);
  else await files.fs.write(folder.target, path, new Uint8Array(), { create: true, overwrite: false });
  files.changed(dirUri);
  if (what === 'file') await vscode.window.showTextDocument(fileUri(folder.target, path));
}

async function rename(node: Extract<FileNode, { role: 'entry' }>): Promise<void> {
  const oldName = baseName(node.path);
  const dot = oldName.lastIndexOf('.');
  const name = await vscode.window.showInputBox({
    title: `Rename ${node.path}`,
    value: oldName,
    valueSelection: [0, dot > 0 ? dot : oldName.length],
    validateInput: validateFileName,
  });
  if (!name || name === oldName) return;
  // Through workspace.fs, so VS Code hears of it (open editors, the Explorer of a workspace folder).
  await vscode.workspace.fs.rename(fileUri(node.target, node.path), fileUri(node.target, joinPath(parentPath(node.path), name)), { overwrite: false });
}

async function remove(files: SandboxFiles, arg: unknown, selection: unknown): Promise<void> {
  const picked = Array.isArray(selection) && selection.some((s) => s === arg) ? selection : [arg];
  const nodes = picked.filter(isFileNode).filter((n): n is Extract<FileNode, { role: 'entry' }> => n.role === 'entry');
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

async function upload(ctx: CommandContext, files: SandboxFiles, arg: unknown): Promise<void> {
  let folder: FileNode | undefined;
  if (isFileNode(arg)) folder = isFolderNode(arg) ? arg : undefined;
  else if (isSandboxUri(arg)) {
    const st = await vscode.workspace.fs.stat(arg);
    const dirUri = st.type & vscode.FileType.Directory ? arg : vscode.Uri.joinPath(arg, '..');
    const { target, path } = fromUri(dirUri);
    const sources = await pickUploads(`${target.sandbox}:${path}`);
    if (!sources) return;
    return uploadInto(files, pseudoFolder(target, path), sources);
  } else if (isResourceNode(arg) || arg === undefined) {
    folder = await rootNodeFor(ctx, files, sandboxArg(ctx, arg));
  }
  if (!folder) throw new UserError("Choose a folder in a sandbox's Files to upload into.");
  const { path } = await locationOf(files, folder);
  const sources = await pickUploads(`${folder.target.sandbox}:${path}`);
  if (sources) await uploadInto(files, folder, sources);
}

function pickUploads(where: string): Thenable<vscode.Uri[] | undefined> {
  return vscode.window.showOpenDialog({ canSelectFiles: true, canSelectFolders: true, canSelectMany: true, openLabel: 'Upload', title: `Upload to ${where}` });
}

async function download(files: SandboxFiles, arg: unknown): Promise<void> {
  if (isFileNode(arg)) return downloadNode(files, arg);
  if (isSandboxUri(arg)) {
    const st = await vscode.workspace.fs.stat(arg);
    const { target, path } = fromUri(arg);
    return downloadPath(files, target, path, (st.type & vscode.FileType.Directory) !== 0);
  }
  const active = vscode.window.activeTextEditor?.document.uri;
  if (active && isSandboxUri(active)) {
    const { target, path } = fromUri(active);
    return downloadPath(files, target, path, false);
  }
  throw new UserError("Choose a file or folder in a sandbox's Files to download.");
}
