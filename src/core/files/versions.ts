import { createHash } from 'node:crypto';

/**
 * A file's content as the write script checks it: `size:md5`, md5 in hex as md5sum prints it.
 * Content, not mtime: mtimes have whole seconds on busybox and none with the P strategy, and an
 * edit that keeps the size slips past VS Code's own mtime-and-size check.
 */
export function contentVersion(bytes: Uint8Array): string {
  return `${bytes.byteLength}:${createHash('md5').update(bytes).digest('hex')}`;
}

/**
 * The version of each file this window last read or saved, so a save can refuse to replace a
 * change made in the sandbox meanwhile. Bounded: the least recently used entries are dropped (a
 * file without an entry is saved unchecked, as before).
 */
export class KnownVersions {
  private readonly versions = new Map<string, string>();

  constructor(private readonly max = 1000) {}

  remember(key: string, bytes: Uint8Array): void {
    this.versions.delete(key);
    this.versions.set(key, contentVersion(bytes));
    if (this.versions.size > this.max) this.versions.delete(this.versions.keys().next().value as string);
  }

  expected(key: string): string | undefined {
    const v = this.versions.get(key);
    if (v !== undefined) {
      this.versions.delete(key);
      this.versions.set(key, v);
    }
    return v;
  }

  forget(key: string): void {
    this.versions.delete(key);
  }
}
