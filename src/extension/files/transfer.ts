import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { downloadTo, DownloadResult, TransferCancelled } from '../../core/files/download';
import { SandboxFileError } from '../../core/files/errors';
import type { ByteSource } from '../../core/files/runner';
import type { SandboxFileSystem } from '../../core/files/sandboxFs';
import { FileTarget, joinPath } from '../../core/files/uri';

export interface TransferProgress {
  report: (message: string) => void;
  token: vscode.CancellationToken;
  /** Asked once per existing target: replace it? ('all' answers for the rest). */
  confirmReplace: (name: string) => Promise<'yes' | 'no' | 'all' | 'cancel'>;
}

export { TransferCancelled };

/** A local file as a streamed ByteSource: large uploads never sit in memory whole. */
function localFileSource(file: string, size: number): ByteSource {
  return {
    size,
    async *chunks() {
      for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20 })) yield chunk as Buffer;
    },
  };
}

/** Uploads local files or folders (any URI VS Code can read; file: URIs are streamed) into a sandbox folder. */
export async function upload(sfs: SandboxFileSystem, sources: vscode.Uri[], target: FileTarget, dir: string, p: TransferProgress): Promise<number> {
  let count = 0;
  let replaceAll = false;
  const abort = new AbortController();
  const sub = p.token.onCancellationRequested(() => abort.abort());
  const one = async (src: vscode.Uri, dest: string): Promise<void> => {
    if (p.token.isCancellationRequested) throw new TransferCancelled();
    const st = await vscode.workspace.fs.stat(src);
    if (st.type & vscode.FileType.Directory) {
      await sfs.mkdir(target, dest, { parents: true });
      for (const [name] of await vscode.workspace.fs.readDirectory(src)) await one(vscode.Uri.joinPath(src, name), joinPath(dest, name));
      return;
    }
    p.report(`${path.posix.basename(dest)} (${count + 1})`);
    const data: ByteSource = src.scheme === 'file' ? localFileSource(src.fsPath, st.size) : await vscode.workspace.fs.readFile(src);
    try {
      await sfs.write(target, dest, data, { create: true, overwrite: replaceAll, signal: abort.signal });
    } catch (err) {
      if (!(err instanceof SandboxFileError && err.code === 'FileExists')) throw err;
      const answer = await p.confirmReplace(dest);
      if (answer === 'cancel') throw new TransferCancelled();
      if (answer === 'no') return;
      if (answer === 'all') replaceAll = true;
      const again: ByteSource = src.scheme === 'file' ? localFileSource(src.fsPath, st.size) : await vscode.workspace.fs.readFile(src);
      await sfs.write(target, dest, again, { create: true, overwrite: true, signal: abort.signal });
    }
    count++;
  };
  try {
    for (const src of sources) await one(src, joinPath(dir, path.posix.basename(src.path)));
  } finally {
    sub.dispose();
  }
  return count;
}

/** Downloads a sandbox file or folder (see downloadTo: untrusted names, no link loops, asks before replacing). */
export async function download(
  sfs: SandboxFileSystem,
  target: FileTarget,
  from: string,
  isDir: boolean,
  to: string,
  p: TransferProgress,
): Promise<DownloadResult> {
  const abort = new AbortController();
  const sub = p.token.onCancellationRequested(() => abort.abort());
  try {
    return await downloadTo(sfs, target, from, isDir, to, { report: p.report, signal: abort.signal, confirmReplace: p.confirmReplace });
  } finally {
    sub.dispose();
  }
}
