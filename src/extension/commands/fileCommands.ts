import * as vscode from 'vscode';
import { defaultContainer } from '../../core/files/locator';
import { displayConfigName, findWorkspaceConfig } from '../../core/files/workspaceConfig';
import { baseName, FILES_SCHEME, FileTarget, joinPath, parentPath } from '../../core/files/uri';
import { downloadNode, downloadPath, locationOf, uploadInto } from '../files/actions';
import { FileNode, isFileNode, isFolderNode } from '../files/fileTree';
import type { SandboxFiles } from '../files/sandboxFiles';
import { fileUri, fromUri, isSandboxUri } from '../files/uris';
import { CommandContext, isResourceNode, pickSandboxes, register, requireReady, sandboxOf, UserError } from './support';

/**
 * Sandbox files: the FileSystemProvider, the tree's Files nodes, and the commands on them (New File,
 * New Folder, Rename, Delete, Upload…, Download…, Open Sandbox Folder in Workspace, Refresh).
 */
export function registerFileCommands(ctx: CommandContext, files: SandboxFiles): vscode.Disposable[] {
  return [
    vscode.workspace.registerFileSystemProvider(FILES_SCHEME, files.provider, { isCaseSensitive: true }),
    files.attachTree(ctx.tree),
    files,
    register(ctx, 'agentSandbox.files.newFile', (arg) => create(files, folderArg(arg), 'file')),
    register(ctx, 'agentSandbox.files.newFolder', (arg) => create(files, folderArg(arg), 'folder')),
    register(ctx, 'agentSandbox.files.rename', (arg) => rename(entryArg(arg))),
    register(ctx, 'agentSandbox.files.delete', (arg, selection) => remove(files, arg, selection)),
    register(ctx, 'agentSandbox.files.upload', (arg) => upload(ctx, files, arg)),
    register(ctx, 'agentSandbox.files.download', (arg) => download(files, arg)),
    register(ctx, 'agentSandbox.files.openInWorkspace', (arg) => openInWorkspace(ctx, files, arg)),
    register(ctx, 'agentSandbox.files.refresh', (arg) => {
      if (isFileNode(arg)) files.tree.refresh(arg);
    }),
  ];
}

function folderArg(arg: unknown): FileNode {
  if (isFileNode(arg) && isFolderNode(arg)) return arg;
  throw new UserError('Choose a folder in a sandbox\'s Files.');
}

function entryArg(arg: unknown): Extract<FileNode, { role: 'entry' }> {
  if (isFileNode(arg) && arg.role === 'entry') return arg;
  throw new UserError('Choose a file or folder in a sandbox\'s Files.');
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
  const name = await vscode.window.showInputBox({ title: `New ${what === 'file' ? 'File' : 'Folder'} in ${folder.target.sandbox}:${dir}`, prompt: 'Name', validateInput: validateFileName });
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
  if (!nodes.length) throw new UserError('Choose files or folders in a sandbox\'s Files.');
  const dirs = nodes.filter((n) => n.entry.kind === 'directory' && !n.entry.isLink).length;
  const what = nodes.length === 1 ? `"${nodes[0].path}"${dirs ? ' and everything in it' : ''}` : `${nodes.length} items${dirs ? ` (${dirs} folder${dirs === 1 ? '' : 's'} with their contents)` : ''}`;
  const choice = await vscode.window.showWarningMessage(`Delete ${what} from sandbox ${nodes[0].target.sandbox}?`, { modal: true, detail: 'This cannot be undone: the sandbox has no trash.' }, 'Delete');
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
    folder = await rootNodeFor(ctx, files, arg);
  }
  if (!folder) throw new UserError('Choose a folder in a sandbox\'s Files to upload into.');
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
  throw new UserError('Choose a file or folder in a sandbox\'s Files to download.');
}

/** Adds a sandbox folder as a workspace folder, so VS Code's Explorer, search-in-open-files, diff and quick open work on it. */
async function openInWorkspace(ctx: CommandContext, files: SandboxFiles, arg: unknown): Promise<void> {
  let target: FileTarget;
  let path: string;
  if (isFileNode(arg)) {
    target = arg.target;
    const p = await files.tree.folderPath(arg);
    path = isFolderNode(arg) ? p : parentPath(p);
  } else {
    const root = await rootNodeFor(ctx, files, arg);
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
    const choice = await vscode.window.showWarningMessage(`The sandbox folder ${displayConfigName(name)} holds workspace configuration`, { modal: true, detail }, 'Add Anyway');
    if (choice !== 'Add Anyway') return;
  }
  const index = vscode.workspace.workspaceFolders?.length ?? 0;
  if (!vscode.workspace.updateWorkspaceFolders(index, 0, { uri, name })) throw new Error(`VS Code refused to add ${name} as a workspace folder.`);
  await vscode.commands.executeCommand('workbench.view.explorer');
}

/** The Files root of a sandbox node (or of a running sandbox picked from a list). */
export async function rootNodeFor(ctx: CommandContext, files: SandboxFiles, arg: unknown): Promise<FileNode> {
  const { model, session } = requireReady(ctx);
  let namespace: string;
  let name: string;
  if (isResourceNode(arg)) ({ namespace, name } = sandboxOf(arg, model));
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
function pseudoFolder(target: FileTarget, path: string): FileNode {
  return { type: 'contributed', id: `files-ref:${fileUri(target, path).toString()}`, role: 'entry', target, path, entry: { name: baseName(path), kind: 'directory', isLink: false } };
}
