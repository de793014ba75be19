import * as path from 'node:path';

/**
 * What a name that is not valid UTF-8 decodes to (U+FFFD per bad byte). That text is itself the name
 * of another possible file (bytes ef bf bd), so a path holding it is never used: the bytes it stood
 * for cannot be told apart.
 */
export const UNDECODABLE = '\ufffd';
const NOT_UTF8 = 'is not valid UTF-8 (shown with \ufffd), so it cannot be addressed exactly; rename it in a terminal';

/** Why a sandbox path cannot be used, or undefined: it must not stand for a name that was not UTF-8. */
export function unaddressablePath(p: string): string | undefined {
  return p.includes(UNDECODABLE) ? `The name ${JSON.stringify(p)} ${NOT_UTF8}` : undefined;
}

/**
 * Names in a sandbox's listing are untrusted: agent code can replace `find` or `sh`, and a Linux
 * name may legally hold `\` (a separator on a Windows host). Returns why a name cannot be used as
 * one path segment, or undefined when it can.
 */
export function unsafeEntryName(name: string): string | undefined {
  if (name === '' || name === '.' || name === '..') return 'is not a file name';
  if (name.includes('/') || name.includes('\\')) return 'contains a path separator';
  if (name.includes('\0')) return 'contains a NUL byte';
  if (name.includes(UNDECODABLE)) return NOT_UTF8;
  if (/^[A-Za-z]:/.test(name)) return 'starts with a drive prefix';
  return undefined;
}

/** `root/name` on this machine, or an Error when the name is unsafe or would resolve outside root. */
export function localChild(root: string, name: string, p: Pick<typeof path, 'resolve' | 'relative' | 'isAbsolute' | 'sep'> = path): string {
  const why = unsafeEntryName(name);
  if (why) throw new UnsafeNameError(name, why);
  const full = p.resolve(root, name);
  const rel = p.relative(p.resolve(root), full);
  if (rel === '' || rel.startsWith('..') || p.isAbsolute(rel) || rel.includes(p.sep)) throw new UnsafeNameError(name, 'resolves outside the folder');
  return full;
}

export class UnsafeNameError extends Error {
  constructor(
    readonly entryName: string,
    reason: string,
  ) {
    super(`Skipped ${JSON.stringify(entryName.slice(0, 80))}: the name ${reason}.`);
    this.name = 'UnsafeNameError';
  }
}
