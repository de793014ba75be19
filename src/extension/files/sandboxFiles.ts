import * as vscode from 'vscode';
import { SandboxFileError } from '../../core/files/errors';
import { PodLocator } from '../../core/files/locator';
import { SandboxFileSystem } from '../../core/files/sandboxFs';
import { joinPath, targetKey } from '../../core/files/uri';
import type { Logger } from '../../core/logging/logger';
import type { ClusterManager } from '../../core/clusterManager';
import { onDidChangeSettings, readSettings } from '../config';
import type { SandboxAt } from '../panels/panelSupport';
import type { ContributedNode, TreeNode } from '../../core/tree/nodes';
import type { SandboxTreeProvider } from '../tree/provider';
import { downloadPath, FilesFeature, moveInto, uploadInto } from './actions';
import { FileEntryNode, FileTreeContribution, isFileNode, isFolderNode } from './fileTree';
import { SandboxFsProvider } from './fsProvider';
import { ManagerSandboxSource } from '../../core/files/sandboxSource';
import { fileUri, fromUri, parentUri } from './uris';
import type { ActivityTracker } from '../../core/finops/activity';

const TREE_MIME = 'application/vnd.code.tree.agentsandbox.explorer';

/**
 * The sandbox file feature: core file system, the FileSystemProvider, the tree's Files nodes and
 * drag and drop. Built once in services.ts, which also registers the provider; its commands live in
 * commands/file/.
 */
export class SandboxFiles implements FilesFeature, vscode.Disposable, vscode.TreeDragAndDropController<TreeNode> {
  readonly fs: SandboxFileSystem;
  readonly provider: SandboxFsProvider;
  private treeValue: FileTreeContribution | undefined;
  private readonly subscriptions: vscode.Disposable[] = [];
  private readonly refusedAt = new Map<string, number>();

  readonly dropMimeTypes = [TREE_MIME, 'text/uri-list', 'files'];
  readonly dragMimeTypes = ['text/uri-list'];

  constructor(
    manager: ClusterManager,
    private readonly log: Logger,
    activity: Pick<ActivityTracker, 'touch' | 'hold'>,
    /** Resume, offered when a file of a hibernated sandbox is refused. */
    private readonly resume: (s: SandboxAt) => Promise<void>,
  ) {
    const locator = new PodLocator(new ManagerSandboxSource(manager, log));
    this.fs = new SandboxFileSystem(locator, { log, activity });
    this.provider = new SandboxFsProvider(this.fs, {
      maxFileBytes: () => readSettings().filesMaxFileSizeMB * 1024 * 1024,
      watchIntervalSeconds: () => readSettings().filesWatchIntervalSeconds,
      onRefused: (uri, err) => this.onRefused(uri, err),
      onSkipped: (what) =>
        void vscode.window.showWarningMessage(`Copied, but skipped ${what.length}: ${what.slice(0, 3).join('; ')}${what.length > 3 ? ' …' : ''}`),
      activity,
    });
    this.subscriptions.push(
      this.provider,
      // Our own changes (editor saves, renames from the Explorer…) refresh the folders the tree shows.
      this.provider.onDidChangeFile((events) => {
        for (const e of events) this.treeValue?.invalidateFolder(parentUri(e.uri));
      }),
      onDidChangeSettings((c) => {
        if (c.affects('files.root')) this.treeValue?.resetRoots();
      }),
    );
  }

  get tree(): FileTreeContribution {
    if (!this.treeValue) throw new Error('the Files tree is not attached yet');
    return this.treeValue;
  }

  /** Plugs the Files nodes into the Sandboxes tree. */
  attachTree(tree: SandboxTreeProvider): vscode.Disposable {
    this.treeValue = new FileTreeContribution(
      this.fs,
      () => readSettings().filesRoot,
      (node) => tree.refreshNode(node),
    );
    const contribution = this.treeValue;
    return tree.setContribution({
      childrenOf: (parent) => contribution.childrenOf(parent),
      children: (node: ContributedNode) => contribution.children(node),
      treeItem: (node: ContributedNode) => contribution.treeItem(node),
    });
  }

  /** Something changed in a sandbox folder outside the provider's own methods (an upload): refresh it. */
  changed(folder: vscode.Uri): void {
    this.treeValue?.invalidateFolder(folder);
    this.provider.fire([{ type: vscode.FileChangeType.Changed, uri: folder }]);
  }

  handleDrag(source: readonly TreeNode[], data: vscode.DataTransfer): void {
    const entries = source.filter(isFileNode).filter((n): n is FileEntryNode => n.role === 'entry');
    if (!entries.length) return;
    // Dropped on an editor or on the Explorer, sandbox files open or copy like any other file.
    data.set('text/uri-list', new vscode.DataTransferItem(entries.map((n) => fileUri(n.target, n.path).toString()).join('\r\n')));
  }

  async handleDrop(target: TreeNode | undefined, data: vscode.DataTransfer, token: vscode.CancellationToken): Promise<void> {
    if (!isFileNode(target) || !isFolderNode(target) || token.isCancellationRequested) return;
    const folder = target;
    try {
      const own = data.get(TREE_MIME);
      if (own) {
        const key = targetKey(folder.target);
        const nodes = (own.value as TreeNode[]).filter(isFileNode).filter((n) => targetKey(n.target) === key);
        if (nodes.length) return void (await moveInto(this, folder, nodes));
      }
      const list = await data.get('text/uri-list')?.asString();
      const uris = (list ?? '')
        .split(/\r?\n/)
        .map((l) => l.trim())
        .filter((l) => l && !l.startsWith('#'))
        .map((l) => vscode.Uri.parse(l, true));
      if (uris.length) return void (await uploadInto(this, folder, uris));
      // A file dropped from the operating system without a path (VS Code in a browser).
      const file = data.get('files')?.asFile();
      if (file?.uri) return void (await uploadInto(this, folder, [file.uri]));
      if (file) {
        const dir = await this.tree.folderPath(folder);
        await this.fs.write(folder.target, joinPath(dir, file.name), await file.data(), { create: true, overwrite: false });
        this.changed(fileUri(folder.target, dir));
      }
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      this.log.error(`drop into ${folder.id}: ${message}`);
      void vscode.window.showErrorMessage(message);
    }
  }

  /** Explains a refused open once in a while, with the action that helps (Download…, Resume). */
  private onRefused(uri: vscode.Uri, err: SandboxFileError): void {
    const key = `${err.code}:${err.hibernated ? fromUri(uri).target.sandbox : uri.toString()}`;
    const last = this.refusedAt.get(key) ?? 0;
    if (Date.now() - last < 10_000) return;
    this.refusedAt.set(key, Date.now());
    if (err.code === 'TooLarge') {
      void vscode.window.showWarningMessage(`${err.message.replace(/;.*$/, '')}. Download it instead?`, 'Download…').then((choice) => {
        if (choice !== 'Download…') return;
        const { target, path } = fromUri(uri);
        return downloadPath(this, target, path, false).catch((e: unknown) => vscode.window.showErrorMessage(e instanceof Error ? e.message : String(e)));
      });
    } else if (err.hibernated) {
      const { target } = fromUri(uri);
      void vscode.window.showWarningMessage(err.message, 'Resume').then((choice) => {
        if (choice === 'Resume') void this.resume({ context: target.context, namespace: target.namespace, name: target.sandbox });
      });
    }
    // NotRegular needs no notification: the editor shows the refusal in place.
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }
}
