import type { LocatedPod } from './locator';
import { runScript } from './runner';

export interface SearchQuery {
  text: string;
  regex: boolean;
  caseSensitive: boolean;
  /** Globs on file names (grep --include); empty: every file. */
  include: string[];
  exclude: string[];
}

export interface SearchHit {
  path: string;
  line: number;
  text: string;
}

/**
 * Text search in a folder of the container, with whichever tool exists: rg, GNU grep, or busybox
 * grep (through find, one grep per file). Fixed text; the query, folder and globs are arguments
 * ($1 F|E, $2 i|s, $3 folder, $4 query, $5 number of includes, then includes, then excludes).
 * Every tool prints `path NUL line:text LF`, so any file name survives; rg and GNU grep skip
 * binary files themselves.
 */
export const SEARCH_SCRIPT = `
m=$1; c=$2; d=$3; q=$4; n=$5; shift 5
if command -v rg >/dev/null 2>&1; then
  i=0; for g; do i=$((i+1)); shift; if [ $i -le $n ]; then set -- "$@" -g "$g"; else set -- "$@" -g "!$g"; fi; done
  [ "$m" = F ] && set -- "$@" -F; [ "$c" = i ] && set -- "$@" -i
  exec rg -n --no-heading --with-filename --null --color never --no-messages "$@" -e "$q" -- "$d"
fi
if grep --version 2>/dev/null | grep -q GNU; then
  i=0; for g; do i=$((i+1)); shift; if [ $i -le $n ]; then set -- "$@" --include="$g"; else set -- "$@" --exclude="$g"; fi; done
  [ "$c" = i ] && set -- "$@" -i
  exec grep -rnIZH --color=never -s -"$m" "$@" -e "$q" -- "$d"
fi
i=0; for g; do i=$((i+1)); shift
  if [ $i -gt $n ]; then set -- "$@" ! -name "$g"; elif [ $i = 1 ]; then set -- "$@" \\( -name "$g"; else set -- "$@" -o -name "$g"; fi
  [ $i = $n ] && set -- "$@" \\)
done
find "$d" "$@" -type f -exec sh -c 'm=$1; c=$2; q=$3; shift 3; for f; do
  if [ "$c" = i ]; then grep -n -i -"$m" -e "$q" -- "$f"; else grep -n -"$m" -e "$q" -- "$f"; fi 2>/dev/null | while IFS= read -r l; do printf "%s\\0%s\\n" "$f" "$l"; done
done' sh "$m" "$c" "$q" {} +
`;

/** A line that is not text (busybox grep has no binary detection): control bytes other than tab, or invalid UTF-8. */
const NOT_TEXT = /[\x00-\x08\x0b-\x1f\x7f\ufffd]/;

/** Incremental parser of `path NUL line:text LF` records. */
export class HitParser {
  private rest = Buffer.alloc(0);

  push(chunk: Buffer): SearchHit[] {
    let buf = this.rest.length ? Buffer.concat([this.rest, chunk]) : chunk;
    const hits: SearchHit[] = [];
    for (;;) {
      const nul = buf.indexOf(0);
      if (nul < 0) break;
      const lf = buf.indexOf(0x0a, nul);
      if (lf < 0) break;
      const path = buf.subarray(0, nul).toString('utf8');
      const rest = buf.subarray(nul + 1, lf).toString('utf8');
      buf = buf.subarray(lf + 1);
      const m = /^(\d+):(.*)$/s.exec(rest);
      if (!m || !path.startsWith('/')) continue;
      const text = (m[2] ?? '').replace(/\r$/, '');
      if (NOT_TEXT.test(text)) continue;
      hits.push({ path, line: Number(m[1]), text: text.length > 500 ? `${text.slice(0, 500)}…` : text });
    }
    this.rest = Buffer.from(buf);
    return hits;
  }
}

export interface SearchOutcome {
  hits: number;
  /** Stopped at `maxHits`: there may be more. */
  capped: boolean;
  cancelled: boolean;
  /** The tool failed (exit 2 and stderr), not "no match". */
  error?: string;
}

/** Runs the search, streaming hits; stops at `maxHits` or when `signal` aborts. */
export async function searchInPod(
  pod: LocatedPod,
  dir: string,
  q: SearchQuery,
  onHits: (h: SearchHit[]) => void,
  opts: { maxHits: number; signal?: AbortSignal },
): Promise<SearchOutcome> {
  const parser = new HitParser();
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  let count = 0;
  let capped = false;
  try {
    const r = await runScript(pod, {
      script: SEARCH_SCRIPT,
      args: [q.regex ? 'E' : 'F', q.caseSensitive ? 's' : 'i', dir, q.text, String(q.include.length), ...q.include, ...q.exclude],
      signal: stop.signal,
      onStdout: (chunk) => {
        if (capped) return;
        let hits = parser.push(chunk);
        if (count + hits.length >= opts.maxHits) {
          hits = hits.slice(0, opts.maxHits - count);
          capped = true;
          stop.abort();
        }
        count += hits.length;
        if (hits.length) onHits(hits);
      },
    });
    const cancelled = !!opts.signal?.aborted;
    if (capped || cancelled) return { hits: count, capped, cancelled };
    if (r.result.kind === 'exited' && r.result.code > 1 && count === 0)
      return { hits: count, capped, cancelled, error: r.stderr.toString('utf8').trim().slice(0, 300) || `exit code ${r.result.code}` };
    if (r.result.kind !== 'exited') return { hits: count, capped, cancelled, error: r.result.message };
    return { hits: count, capped, cancelled };
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
  }
}
