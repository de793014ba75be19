import * as vscode from 'vscode';
import { copyBetweenSandboxes } from '../../core/files/crossCopy';
import { formatBytes, SandboxFileError } from '../../core/files/errors';
import type { FileInfo } from '../../core/files/listing';
import type { SandboxFileSystem } from '../../core/files/sandboxFs';
import { KnownVersions } from '../../core/files/versions';
import { WatchPoller } from '../../core/files/watchPoll';
import { sameTarget, type FileTarget } from '../../core/files/uri';
import { fileUri, fromUri } from './uris';
import type { ActivityTracker } from '../../core/finops/activity';

/** Maps a core file error to the FileSystemError VS Code acts on (FileNotFound lets "create" flows work…). */
export function toFileSystemError(err: unknown): Error {
  if (err instanceof vscode.FileSystemError) return err;
  if (!(err instanceof SandboxFileError)) return vscode.FileSystemError.Unavailable(err instanceof Error ? err.message : String(err));
  switch (err.code) {
    case 'FileNotFound':
      return vscode.FileSystemError.FileNotFound(err.message);
    case 'FileExists':
    case 'Modified':
      return vscode.FileSystemError.FileExists(err.message);
    case 'FileNotADirectory':
      return vscode.FileSystemError.FileNotADirectory(err.message);
    case 'FileIsADirectory':
      return vscode.FileSystemError.FileIsADirectory(err.message);
    case 'NoPermissions':
      return vscode.FileSystemError.NoPermissions(err.message);
    case 'Unavailable':
      return vscode.FileSystemError.Unavailable(err.message);
    default:
      return new vscode.FileSystemError(err.message);
  }
}

export function toFileType(info: Pick<FileInfo, 'kind' | 'isLink'>): vscode.FileType {
  const base = info.kind === 'file' ? vscode.FileType.File : info.kind === 'directory' ? vscode.FileType.Directory : vscode.FileType.Unknown;
  return info.isLink ? base | vscode.FileType.SymbolicLink : base;
}

export interface ProviderHooks {
  /** The size limit for opening a file in an editor, read on every call (the setting may change). */
  maxFileBytes(): number;
  /** A read was refused or failed in a way the user can act on (Download…, Resume). */
  onRefused?(uri: vscode.Uri, err: SandboxFileError): void;
  /** A copy between sandboxes left entries out (unsafe names, links to folders). */
  onSkipped?(what: string[]): void;
  /** Records use of the sandbox for idle tracking (FinOps); only after success, and never for stat. */
  activity?: Pick<ActivityTracker, 'touch'>;
  /** Seconds between polls for changes made inside the sandbox; 0 turns live files off. */
  watchIntervalSeconds?(): number;
}

/**
 * The thin VS Code face of SandboxFileSystem: URIs in, typed errors out, and change events for
 * what it changed itself and, by polling what VS Code watches (open editors, expanded folders),
 * for what changed inside the sandbox.
 */
export class SandboxFsProvider implements vscode.FileSystemProvider, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.emitter.event;

  private readonly poller: WatchPoller;
  /** What each file held when last read or saved here: a save refuses to replace a change made since. */
  private readonly versions = new KnownVersions();

  constructor(
    readonly fs: SandboxFileSystem,
    private readonly hooks: ProviderHooks,
  ) {
    this.poller = new WatchPoller(
      fs.locator,
      (target, changes) =>
        this.fire(
          changes.map((c) => ({ type: c.kind === 'deleted' ? vscode.FileChangeType.Deleted : vscode.FileChangeType.Changed, uri: fileUri(target, c.path) })),
        ),
      () => (hooks.watchIntervalSeconds?.() ?? 0) * 1000,
    );
  }

  watch(uri: vscode.Uri, options: { readonly recursive: boolean }): vscode.Disposable {
    const { target, path } = fromUri(uri);
    const w = this.poller.watch(target, path, options.recursive);
    return new vscode.Disposable(() => w.dispose());
  }

  async stat(uri: vscode.Uri): Promise<vscode.FileStat> {
    const { target, path } = fromUri(uri);
    const info = await this.call(uri, () => this.fs.stat(target, path));
    const mtime = info.mtimeMs ?? 0;
    return { type: toFileType(info), size: info.size ?? 0, mtime, ctime: mtime };
  }

  async readDirectory(uri: vscode.Uri): Promise<[string, vscode.FileType][]> {
    const { target, path } = fromUri(uri);
    const entries = await this.call(uri, () => this.fs.list(target, path));
    this.hooks.activity?.touch(target, 'file-read');
    return entries.map((e) => [e.name, toFileType(e)]);
  }

  async readFile(uri: vscode.Uri): Promise<Uint8Array> {
    const { target, path } = fromUri(uri);
    const max = this.hooks.maxFileBytes();
    return this.call(uri, async () => {
      try {
        const bytes = await this.fs.read(target, path, { maxBytes: max });
        this.versions.remember(uri.toString(), bytes);
        this.hooks.activity?.touch(target, 'file-read');
        return bytes;
      } catch (err) {
        if (!(err instanceof SandboxFileError && err.code === 'TooLarge')) throw err;
        throw new SandboxFileError(
          'TooLarge',
          `${err.message}, above the ${formatBytes(max)} limit for editors (agentSandbox.files.maxFileSizeMB); use Download… instead`,
          path,
          false,
          err.size,
        );
      }
    });
  }

  async writeFile(uri: vscode.Uri, content: Uint8Array, options: { create: boolean; overwrite: boolean }): Promise<void> {
    const { target, path } = fromUri(uri);
    const key = uri.toString();
    const expect = options.overwrite ? this.versions.expected(key) : undefined;
    const { created } = await this.call(uri, async () => {
      try {
        return await this.fs.write(target, path, content, { ...options, expect });
      } catch (err) {
        if (!(err instanceof SandboxFileError && err.code === 'Modified')) throw err;
        // VS Code offers Retry, Revert and Save As: Retry now saves over the sandbox's version.
        this.versions.forget(key);
        throw new SandboxFileError(
          'Modified',
          `${err.message}. Retry saves your version over it; Revert loads the sandbox's version (File: Compare Active File with Saved shows the difference).`,
          path,
        );
      }
    });
    this.versions.remember(key, content);
    this.hooks.activity?.touch(target, 'file-write');
    this.fire(created ? [{ type: vscode.FileChangeType.Created, uri }] : [{ type: vscode.FileChangeType.Changed, uri }]);
  }

  async createDirectory(uri: vscode.Uri): Promise<void> {
    const { target, path } = fromUri(uri);
    await this.call(uri, () => this.fs.mkdir(target, path));
    this.hooks.activity?.touch(target, 'file-write');
    this.fire([{ type: vscode.FileChangeType.Created, uri }]);
  }

  async delete(uri: vscode.Uri, options: { recursive: boolean }): Promise<void> {
    const { target, path } = fromUri(uri);
    await this.call(uri, () => this.fs.delete(target, path, options));
    this.versions.forget(uri.toString());
    this.hooks.activity?.touch(target, 'file-write');
    this.fire([{ type: vscode.FileChangeType.Deleted, uri }]);
  }

  async rename(oldUri: vscode.Uri, newUri: vscode.Uri, options: { overwrite: boolean }): Promise<void> {
    const from = fromUri(oldUri);
    const to = fromUri(newUri);
    if (sameTarget(from.target, to.target)) await this.call(oldUri, () => this.fs.rename(from.target, from.path, to.path, options));
    else {
      await this.copyAcross(from.target, from.path, to.target, to.path, options.overwrite);
      await this.call(oldUri, () => this.fs.delete(from.target, from.path, { recursive: true }));
    }
    this.hooks.activity?.touch(to.target, 'file-write');
    this.fire([
      { type: vscode.FileChangeType.Deleted, uri: oldUri },
      { type: vscode.FileChangeType.Created, uri: newUri },
    ]);
  }

  async copy(source: vscode.Uri, destination: vscode.Uri, options: { overwrite: boolean }): Promise<void> {
    const from = fromUri(source);
    const to = fromUri(destination);
    if (sameTarget(from.target, to.target)) await this.call(source, () => this.fs.copy(from.target, from.path, to.path, options));
    else await this.copyAcross(from.target, from.path, to.target, to.path, options.overwrite);
    this.hooks.activity?.touch(to.target, 'file-write');
    this.fire([{ type: vscode.FileChangeType.Created, uri: destination }]);
  }

  /** Tells VS Code (and the tree) about changes made outside the provider's own methods (uploads). */
  fire(events: vscode.FileChangeEvent[]): void {
    this.emitter.fire(events);
  }

  /** Between two sandboxes there is no shared file system: files stream through the extension. */
  private async copyAcross(ft: FileTarget, fp: string, tt: FileTarget, tp: string, overwrite: boolean): Promise<void> {
    const skipped = await copyBetweenSandboxes(this.fs, ft, fp, tt, tp, (t, p, op) => this.call(fileUri(t, p), op), { overwrite });
    if (skipped.length) this.hooks.onSkipped?.(skipped);
  }

  private async call<T>(uri: vscode.Uri, op: () => Promise<T>): Promise<T> {
    try {
      return await op();
    } catch (err) {
      if (err instanceof SandboxFileError && (err.code === 'TooLarge' || err.hibernated)) this.hooks.onRefused?.(uri, err);
      throw toFileSystemError(err);
    }
  }

  dispose(): void {
    this.emitter.dispose();
  }
}
