import * as vscode from 'vscode';
import { formatBytes, SandboxFileError } from '../../core/files/errors';
import type { DirEntry } from '../../core/files/listing';
import { defaultContainer } from '../../core/files/locator';
import type { SandboxFileSystem } from '../../core/files/sandboxFs';
import { FileTarget, joinPath, normalizePath, targetKey } from '../../core/files/uri';
import { sandboxState } from '../../core/model/sandbox';
import type { ContributedNode, MessageNode, ResourceNode, TreeNode } from '../../core/tree/nodes';
import { fileUri } from './uris';

/** The "Files" node under a sandbox: rooted at the setting, the working directory, or /. */
export interface FilesRootNode extends ContributedNode {
  role: 'filesRoot';
  sandboxNode: ResourceNode;
  target: FileTarget;
  /** Resolved on first expansion. */
  path?: string | undefined;
  hibernated: boolean;
}

export interface FileEntryNode extends ContributedNode {
  role: 'entry';
  target: FileTarget;
  path: string;
  entry: DirEntry;
}

export type FileNode = FilesRootNode | FileEntryNode;

export function isFileNode(x: unknown): x is FileNode {
  const n = x as FileNode | undefined;
  return !!n && n.type === 'contributed' && (n.role === 'filesRoot' || n.role === 'entry');
}

/** Folder-like nodes: where New File, Upload and drops go. */
export function isFolderNode(n: FileNode): boolean {
  return n.role === 'filesRoot' ? !n.hibernated : n.entry.kind === 'directory';
}

const LISTING_TTL_MS = 5_000;

/**
 * The files part of the Sandboxes tree, plugged into the tree provider's contribution hook. Listings
 * are cached briefly: the tree re-asks for children whenever a sandbox's status changes, and that
 * must not re-run an exec per expanded folder each time.
 */
export class FileTreeContribution {
  private readonly roots = new Map<string, FilesRootNode>();
  private readonly entries = new Map<string, FileEntryNode>();
  private readonly listings = new Map<string, { at: number; children: TreeNode[] }>();
  /** Folder URI (string) → the nodes that show it (a sandbox can appear under its group, pool and claim). */
  private readonly shownAt = new Map<string, Set<FileNode>>();

  constructor(
    private readonly fs: SandboxFileSystem,
    private readonly rootSetting: () => string,
    private readonly refreshNode: (node: TreeNode | undefined) => void,
  ) {}

  /** Files node for a sandbox resource node (running or hibernated); nothing for other states. */
  childrenOf(parent: ResourceNode): TreeNode[] {
    if (parent.kind !== 'Sandbox') return [];
    const state = sandboxState(parent.object);
    const hibernated = state === 'Hibernated' || state === 'Hibernating';
    if (state !== 'Running' && !hibernated) return [];
    const container = defaultContainer(parent.object);
    if (!container) return [];
    const id = `${parent.id}/files`;
    let node = this.roots.get(id);
    const target: FileTarget = { context: parent.context, namespace: parent.namespace, sandbox: parent.name, container };
    if (!node || node.hibernated !== hibernated || targetKey(node.target) !== targetKey(target)) {
      if (node) this.forget(node);
      node = { type: 'contributed', id, role: 'filesRoot', sandboxNode: parent, target, hibernated };
      this.roots.set(id, node);
    }
    node.sandboxNode = parent;
    return [node];
  }

  async children(node: ContributedNode): Promise<TreeNode[]> {
    if (!isFileNode(node)) return [];
    if (node.role === 'filesRoot' && node.hibernated) {
      return [
        this.message(node, 'resume', 'Unavailable while hibernated: resume the sandbox to browse its files', 'warning', {
          command: 'agentSandbox.resume',
          title: 'Resume',
          arguments: [node.sandboxNode],
        }),
      ];
    }
    const cached = this.listings.get(node.id);
    if (cached && Date.now() - cached.at < LISTING_TTL_MS) return cached.children;
    let children: TreeNode[];
    try {
      const dir = await this.folderPath(node);
      this.remember(node, dir);
      const entries = await this.fs.list(node.target, dir);
      entries.sort((a, b) => Number(b.kind === 'directory') - Number(a.kind === 'directory') || a.name.localeCompare(b.name));
      children = entries.map((e) => this.entryNode(node, dir, e));
      if (!children.length) children = [this.message(node, 'empty', 'Empty folder', 'info')];
    } catch (err) {
      const text = err instanceof Error ? err.message : String(err);
      const hibernated = err instanceof SandboxFileError && err.hibernated;
      children = [
        hibernated
          ? this.message(node, 'error', text, 'warning', { command: 'agentSandbox.resume', title: 'Resume', arguments: [this.rootOf(node)?.sandboxNode] })
          : this.message(node, 'error', `Cannot list: ${text}`, 'error', { command: 'agentSandbox.files.refresh', title: 'Retry', arguments: [node] }),
      ];
    }
    this.listings.set(node.id, { at: Date.now(), children });
    return children;
  }

  treeItem(node: ContributedNode): vscode.TreeItem {
    if (!isFileNode(node)) return new vscode.TreeItem(node.id);
    if (node.role === 'filesRoot') {
      const item = new vscode.TreeItem('Files', vscode.TreeItemCollapsibleState.Collapsed);
      item.id = node.id;
      item.iconPath = new vscode.ThemeIcon('folder-library');
      item.description = node.hibernated ? 'unavailable (hibernated)' : (node.path ?? this.rootSetting() ?? '');
      item.tooltip = node.hibernated
        ? `Resume ${node.target.sandbox} to browse its files.`
        : `Files in container ${node.target.container} of ${node.target.sandbox}${node.path ? `, from ${node.path}` : ''}`;
      item.contextValue = node.hibernated ? 'sandboxFiles unavailable' : 'sandboxFiles folder';
      return item;
    }
    const e = node.entry;
    const uri = fileUri(node.target, node.path);
    const isDir = e.kind === 'directory';
    const item = new vscode.TreeItem(e.name, isDir ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
    item.id = node.id;
    item.resourceUri = uri;
    const special = !isDir && e.kind !== 'file';
    const kindText = e.kind === 'missing' ? 'broken link' : special ? e.kind : undefined;
    item.description = [e.isLink ? 'link' : undefined, kindText, e.kind === 'file' && e.size !== undefined ? formatBytes(e.size) : undefined]
      .filter(Boolean)
      .join(' · ');
    const lines = [`${node.path}`, `${e.isLink ? 'symbolic link to a ' : ''}${e.kind === 'missing' ? 'missing target' : e.kind}`];
    if (e.size !== undefined && e.kind === 'file') lines.push(formatBytes(e.size));
    if (e.mode !== undefined) lines.push(`mode ${e.mode.toString(8).padStart(4, '0')}${e.uid !== undefined ? `, owner ${e.uid}:${e.gid}` : ''}`);
    if (e.mtimeMs) lines.push(`modified ${new Date(e.mtimeMs).toLocaleString()}`);
    item.tooltip = lines.join('\n');
    if (e.kind === 'file') item.command = { command: 'vscode.open', title: 'Open', arguments: [uri] };
    item.contextValue = `sandboxFile ${isDir ? 'folder' : e.kind === 'file' ? 'file' : 'special'}${e.isLink ? ' link' : ''}`;
    if (special) item.iconPath = new vscode.ThemeIcon(e.kind === 'missing' ? 'warning' : 'circle-slash');
    return item;
  }

  /** The directory a folder node shows (resolving the Files node's root on first use). */
  async folderPath(node: FileNode): Promise<string> {
    if (node.role === 'entry') return node.path;
    if (!node.path) {
      node.path = await this.rootPath(node.target);
      this.refreshNode(node);
    }
    return node.path;
  }

  /** The setting `agentSandbox.files.root` (absolute, or relative to the working directory), else the working directory. */
  async rootPath(target: FileTarget): Promise<string> {
    const configured = this.rootSetting().trim();
    if (configured.startsWith('/')) return normalizePath(configured);
    const workdir = await this.fs.workingDirectory(target);
    return configured ? normalizePath(joinPath(workdir, configured)) : workdir;
  }

  /** Drops cached listings of a folder (by URI) and re-renders the nodes that show it. */
  invalidateFolder(uri: vscode.Uri): void {
    for (const node of this.shownAt.get(uri.toString()) ?? []) {
      this.listings.delete(node.id);
      this.refreshNode(node);
    }
  }

  /** Forces a re-list of one folder node. */
  refresh(node: FileNode): void {
    this.listings.delete(node.id);
    if (node.role === 'filesRoot') node.path = undefined;
    this.refreshNode(node);
  }

  /** The root setting changed: every Files node resolves its folder again. */
  resetRoots(): void {
    for (const root of this.roots.values()) this.refresh(root);
  }

  rootOf(node: FileNode): FilesRootNode | undefined {
    if (node.role === 'filesRoot') return node;
    for (const r of this.roots.values()) if (node.id.startsWith(`${r.id}:`)) return r;
    return undefined;
  }

  private entryNode(parent: FileNode, dir: string, e: DirEntry): FileEntryNode {
    const path = joinPath(dir, e.name);
    const root = this.rootOf(parent);
    const id = `${root?.id ?? parent.id}:${path}`;
    const existing = this.entries.get(id);
    if (existing) {
      existing.entry = e;
      return existing;
    }
    const node: FileEntryNode = { type: 'contributed', id, role: 'entry', target: parent.target, path, entry: e };
    this.entries.set(id, node);
    return node;
  }

  private remember(node: FileNode, dir: string): void {
    const key = fileUri(node.target, dir).toString();
    let set = this.shownAt.get(key);
    if (!set) this.shownAt.set(key, (set = new Set()));
    set.add(node);
  }

  private forget(root: FilesRootNode): void {
    this.roots.delete(root.id);
    for (const id of [...this.entries.keys()]) if (id.startsWith(`${root.id}:`)) this.entries.delete(id);
    for (const id of [...this.listings.keys()]) if (id === root.id || id.startsWith(`${root.id}:`)) this.listings.delete(id);
    for (const set of this.shownAt.values()) for (const n of set) if (n.id === root.id || n.id.startsWith(`${root.id}:`)) set.delete(n);
  }

  private message(parent: FileNode, key: string, text: string, severity: MessageNode['severity'], command?: MessageNode['command']): MessageNode {
    return { type: 'message', id: `${parent.id}#${key}`, text, severity, command };
  }
}
