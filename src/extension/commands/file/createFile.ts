import * as vscode from 'vscode';
import { joinPath } from '../../../core/files/uri';
import { locationOf } from '../../files/actions';
import type { FileNode } from '../../files/fileTree';
import type { SandboxFiles } from '../../files/sandboxFiles';
import { fileUri } from '../../files/uris';
import { folderOf } from './fileNodes';

/** A name for a new entry: one path component. */
export function validateFileName(name: string): string | undefined {
  if (!name.trim()) return 'Enter a name.';
  if (name.includes('/')) return 'A name cannot contain "/".';
  if (name.includes('\0')) return 'A name cannot contain NUL.';
  if (name === '.' || name === '..') return `"${name}" is not a valid name.`;
  if (Buffer.byteLength(name) > 255) return 'The name is longer than 255 bytes.';
  return undefined;
}

/** New File…: an empty file in the clicked folder, opened. */
export function createFile(files: SandboxFiles, node?: FileNode): Promise<void> {
  return create(files, folderOf(node), 'file');
}

/** New Folder…: in the clicked folder. */
export function createFolder(files: SandboxFiles, node?: FileNode): Promise<void> {
  return create(files, folderOf(node), 'folder');
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
