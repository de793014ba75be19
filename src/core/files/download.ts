import * as fs from 'node:fs';
import * as path from 'node:path';
import { localChild, UnsafeNameError } from './entryName';
import type { SandboxFileSystem } from './sandboxFs';
import { FileTarget, joinPath } from './uri';

export interface DownloadProgress {
  report(message: string): void;
  signal: AbortSignal;
  /** Asked once per existing local file: replace it? ('all' answers for the rest). */
  confirmReplace(name: string): Promise<'yes' | 'no' | 'all' | 'cancel'>;
}

export interface DownloadResult {
  files: number;
  /** Entries left out, with why: unsafe names, links to folders, files the user chose to keep. */
  skipped: string[];
}

export class TransferCancelled extends Error {}

async function exists(p: string): Promise<boolean> {
  return fs.promises.lstat(p).then(
    () => true,
    () => false,
  );
}

/**
 * Downloads a sandbox file or folder (recursively) to this machine. Each file streams into a
 * temporary file beside its destination and is renamed when complete, so a failure never leaves
 * half a file. Names from the sandbox are untrusted: an entry whose name could leave the chosen
 * folder is skipped, links to folders are not followed (no loops), and an existing local file is
 * replaced only when the user says so (the top-level destination was already confirmed by the save
 * dialog).
 */
export async function downloadTo(
  sfs: Pick<SandboxFileSystem, 'list' | 'readTo'>,
  target: FileTarget,
  from: string,
  isDir: boolean,
  to: string,
  p: DownloadProgress,
): Promise<DownloadResult> {
  const result: DownloadResult = { files: 0, skipped: [] };
  let replaceAll = false;
  const one = async (src: string, dest: string, dir: boolean): Promise<void> => {
    if (p.signal.aborted) throw new TransferCancelled();
    if (dir) {
      await fs.promises.mkdir(dest, { recursive: true });
      for (const e of await sfs.list(target, src)) {
        if (e.kind !== 'file' && e.kind !== 'directory') continue; // sockets, pipes, devices, broken links
        if (e.isLink && e.kind === 'directory') {
          result.skipped.push(`${joinPath(src, e.name)} (a link to a folder, not followed)`);
          continue;
        }
        let child: string;
        try {
          child = localChild(dest, e.name);
        } catch (err) {
          if (!(err instanceof UnsafeNameError)) throw err;
          result.skipped.push(err.message);
          continue;
        }
        await one(joinPath(src, e.name), child, e.kind === 'directory');
      }
      return;
    }
    if (dest !== to && !replaceAll && (await exists(dest))) {
      const answer = await p.confirmReplace(dest);
      if (answer === 'cancel') throw new TransferCancelled();
      if (answer === 'no') {
        result.skipped.push(`${dest} (kept the local file)`);
        return;
      }
      if (answer === 'all') replaceAll = true;
    }
    p.report(`${path.posix.basename(src)} (${result.files + 1})`);
    await downloadFile(sfs, target, src, dest, p.signal);
    result.files++;
  };
  await one(from, to, isDir);
  return result;
}

/** One file: streamed to `dest.<pid>-<time>.part`, renamed on success; a local write error stops the remote read. */
async function downloadFile(sfs: Pick<SandboxFileSystem, 'readTo'>, target: FileTarget, src: string, dest: string, signal: AbortSignal): Promise<void> {
  const tmp = `${dest}.${process.pid}-${Date.now()}.part`;
  const local = new AbortController();
  const stop = () => local.abort();
  signal.addEventListener('abort', stop, { once: true });
  let writeError: Error | undefined;
  const out = fs.createWriteStream(tmp);
  out.on('error', (err) => {
    writeError ??= err;
    local.abort();
  });
  try {
    await sfs
      .readTo(target, src, (chunk) => void (writeError || out.write(chunk)), local.signal)
      .catch((err: unknown) => {
        if (writeError) throw writeError;
        throw err;
      });
    if (writeError) throw writeError;
    await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
    // The write callbacks may set it meanwhile; TS narrowed it to never at the check above.
    if (writeError) throw writeError as Error;
    await fs.promises.rename(tmp, dest);
  } catch (err) {
    out.destroy();
    await fs.promises.rm(tmp, { force: true });
    if (err === writeError) throw new Error(`Could not write ${dest}: ${(err as Error).message}`, { cause: err });
    throw err;
  } finally {
    signal.removeEventListener('abort', stop);
  }
}
