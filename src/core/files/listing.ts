/** What a path is; for a symlink, the kind of what it points to ('missing' when it dangles). */
export type FileKind = 'file' | 'directory' | 'fifo' | 'socket' | 'block' | 'char' | 'missing' | 'unknown';

export type Strategy = 'F' | 'S' | 'P';

export interface FileInfo {
  kind: FileKind;
  isLink: boolean;
  /** Bytes (of the target, for a followed link); absent when the strategy cannot tell cheaply. */
  size?: number | undefined;
  /** Modification time in ms since the epoch (ms precision with find, seconds otherwise). */
  mtimeMs?: number | undefined;
  /** Permission bits (e.g. 0o644). */
  mode?: number | undefined;
  uid?: number | undefined;
  gid?: number | undefined;
}

export interface DirEntry extends FileInfo {
  name: string;
}

const KIND_BY_LETTER: Record<string, FileKind> = {
  f: 'file',
  d: 'directory',
  p: 'fifo',
  s: 'socket',
  b: 'block',
  c: 'char',
  N: 'missing',
  L: 'missing', // a symlink loop: nothing readable at the end
};

/** find's %y/%Y pair (or the scripts' equivalent): the first letter is `l` for a symlink. */
export function kindFromLetters(y: string | undefined, target: string | undefined): { kind: FileKind; isLink: boolean } {
  const isLink = y === 'l';
  const letter = isLink ? target : y;
  return { kind: (letter === undefined ? undefined : KIND_BY_LETTER[letter]) ?? 'unknown', isLink };
}

/**
 * Splits NUL-terminated records. Decoding the whole buffer once is safe: a NUL byte never occurs
 * inside a UTF-8 sequence. A trailing record without its NUL is kept.
 */
export function splitNul(buf: Buffer): string[] {
  if (buf.length === 0) return [];
  const parts = buf.toString('utf8').split('\0');
  if (parts[parts.length - 1] === '') parts.pop();
  return parts;
}

/** `1700000000.1234567890` (find %T@) or `1700000000` → ms, without float rounding surprises. */
export function parseEpoch(s: string): number | undefined {
  const m = /^(-?\d+)(?:\.(\d+))?$/.exec(s.trim());
  if (!m) return undefined;
  const [, whole = '', digits = ''] = m;
  const frac = digits.padEnd(3, '0').slice(0, 3);
  return Number(whole) * 1000 + (whole.startsWith('-') ? -1 : 1) * Number(frac);
}

function num(s: string | undefined): number | undefined {
  if (s === undefined || !/^\d+$/.test(s.trim())) return undefined;
  return Number(s.trim());
}

function octal(s: string | undefined): number | undefined {
  return s !== undefined && /^[0-7]+$/.test(s.trim()) ? parseInt(s.trim(), 8) : undefined;
}

export class ListingParseError extends Error {}

/** Parses LIST_SCRIPT output for any strategy. */
export function parseListing(buf: Buffer): { strategy: Strategy; entries: DirEntry[] } {
  const tokens = splitNul(buf);
  const strategy = tokens[0] as Strategy;
  if (strategy === 'F') return { strategy, entries: parseFindRecords(tokens.slice(1)) };
  if (strategy === 'S' || strategy === 'P') return { strategy, entries: parseGlobGroups(tokens.slice(1), strategy) };
  throw new ListingParseError(`unexpected listing output (starts with ${JSON.stringify(tokens[0]?.slice(0, 20))})`);
}

/** `yY \t mode \t uid \t gid \t size \t mtime \t name` per record (find -printf). */
export function parseFindRecords(records: string[]): DirEntry[] {
  const out: DirEntry[] = [];
  for (const rec of records) {
    const fields: string[] = [];
    let start = 0;
    for (let k = 0; k < 6; k++) {
      const tab = rec.indexOf('\t', start);
      if (tab < 0) throw new ListingParseError(`malformed find record ${JSON.stringify(rec.slice(0, 60))}`);
      fields.push(rec.slice(start, tab));
      start = tab + 1;
    }
    const name = rec.slice(start);
    const letters = fields[0] ?? '';
    if (!name || letters.length !== 2) throw new ListingParseError(`malformed find record ${JSON.stringify(rec.slice(0, 60))}`);
    const { kind, isLink } = kindFromLetters(letters[0], letters[1]);
    out.push({
      name,
      kind,
      isLink,
      // A link's own size and time say nothing about its target; leave them to stat().
      size: isLink ? undefined : num(fields[4]),
      mtimeMs: isLink ? undefined : parseEpoch(fields[5] ?? ''),
      mode: octal(fields[1]),
      uid: num(fields[2]),
      gid: num(fields[3]),
    });
  }
  return out;
}

/**
 * The glob-based output (strategies S and P), per non-empty glob group:
 *   N \0 ./name… \0 T \0 <two type letters per name> \0 [M \0 <one `stat -c` line per name> \0]
 * Names carry a `./` prefix, so none can be mistaken for a marker.
 */
export function parseGlobGroups(tokens: string[], strategy: 'S' | 'P'): DirEntry[] {
  const out: DirEntry[] = [];
  let i = 0;
  while (i < tokens.length) {
    if (tokens[i] !== 'N') throw new ListingParseError(`expected a name group at token ${i}`);
    i++;
    const names: string[] = [];
    for (let token = tokens[i]; token !== undefined && token !== 'T'; token = tokens[++i]) {
      if (!token.startsWith('./')) throw new ListingParseError(`unexpected name token ${JSON.stringify(token.slice(0, 60))}`);
      names.push(token.slice(2));
    }
    const types = tokens[i + 1] ?? '';
    i += 2;
    if (types.length !== names.length * 2) throw new ListingParseError(`type letters (${types.length}) do not match ${names.length} names`);
    let meta: string[] | undefined;
    if (strategy === 'S' && tokens[i] === 'M') {
      const lines = (tokens[i + 1] ?? '').split('\n').filter((l) => l !== '');
      i += 2;
      // A file that vanished between the glob and stat leaves a gap; then no line can be trusted.
      if (lines.length === names.length) meta = lines;
    }
    names.forEach((name, k) => {
      const { kind, isLink } = kindFromLetters(types[2 * k], types[2 * k + 1]);
      const entry: DirEntry = { name, kind, isLink };
      // meta has one line per name (checked above).
      if (meta && !isLink) Object.assign(entry, parseStatLine(meta[k]!));
      out.push(entry);
    });
  }
  return out;
}

/** One `stat -c '%a %s %Y %u %g'` line. */
export function parseStatLine(line: string): Partial<FileInfo> {
  const [mode, size, mtime, uid, gid] = line.trim().split(/\s+/);
  return { mode: octal(mode), size: num(size), mtimeMs: parseEpoch(mtime ?? ''), uid: num(uid), gid: num(gid) };
}

/** Parses STAT_SCRIPT output: strategy \0 type pair \0 metadata in the strategy's format. */
export function parseStat(buf: Buffer): { strategy: Strategy; info: FileInfo } {
  const [strategy, pair, meta = ''] = splitNul(buf);
  if (strategy === undefined || !['F', 'S', 'P'].includes(strategy) || !pair || pair.length !== 2)
    throw new ListingParseError(`unexpected stat output ${JSON.stringify(buf.toString('utf8', 0, 60))}`);
  const { kind, isLink } = kindFromLetters(pair[0], pair[1]);
  const info: FileInfo = { kind, isLink };
  if (strategy === 'F') {
    const [mode, uid, gid, size, mtime] = meta.split('\t');
    Object.assign(info, { mode: octal(mode), uid: num(uid), gid: num(gid), size: num(size), mtimeMs: parseEpoch(mtime ?? '') });
  } else if (strategy === 'S') {
    Object.assign(info, parseStatLine(meta));
  } else {
    const [size, mtime] = meta.trim().split(/\s+/);
    Object.assign(info, { size: num(size), mtimeMs: parseEpoch(mtime ?? '') });
  }
  return { strategy: strategy as Strategy, info };
}
