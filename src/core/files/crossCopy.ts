import { unsafeEntryName } from './entryName';
import { SandboxFileError } from './errors';
import type { SandboxFileSystem } from './sandboxFs';
import { FileTarget, joinPath } from './uri';

type CopyFs = Pick<SandboxFileSystem, 'stat' | 'list' | 'read' | 'write' | 'mkdir' | 'delete'>;

/**
 * Copies a file or folder from one sandbox to another through the extension (they share no file
 * system). The source's names are untrusted: one that is not a single path segment (`..`, `a/b`)
 * is skipped, and links to folders are not followed, so a loop such as `a -> .` ends. `wrap`
 * maps each call's errors (the VS Code adapter turns them into FileSystemErrors). With
 * `overwrite`, what is at the destination is removed first (nothing there is fine). Returns the
 * entries left out.
 */
export async function copyBetweenSandboxes(
  sfs: CopyFs,
  ft: FileTarget,
  fp: string,
  tt: FileTarget,
  tp: string,
  wrap: <T>(t: FileTarget, p: string, op: () => Promise<T>) => Promise<T> = (_t, _p, op) => op(),
  options: { overwrite?: boolean } = {},
): Promise<string[]> {
  if (options.overwrite) {
    await wrap(tt, tp, () =>
      sfs.delete(tt, tp, { recursive: true }).catch((err: unknown) => {
        if (!(err instanceof SandboxFileError && err.code === 'FileNotFound')) throw err;
      }),
    );
  }
  const skipped: string[] = [];
  const one = async (from: string, to: string): Promise<void> => {
    const info = await wrap(ft, from, () => sfs.stat(ft, from));
    if (info.kind !== 'directory') {
      const bytes = await wrap(ft, from, () => sfs.read(ft, from));
      await wrap(tt, to, () => sfs.write(tt, to, bytes, { create: true, overwrite: false }));
      return;
    }
    await wrap(tt, to, () => sfs.mkdir(tt, to));
    for (const e of await wrap(ft, from, () => sfs.list(ft, from))) {
      const why = unsafeEntryName(e.name);
      if (why) skipped.push(`${JSON.stringify(e.name.slice(0, 80))} (the name ${why})`);
      else if (e.isLink && e.kind === 'directory') skipped.push(`${joinPath(from, e.name)} (a link to a folder, not followed)`);
      else await one(joinPath(from, e.name), joinPath(to, e.name));
    }
  };
  await one(fp, tp);
  return skipped;
}
