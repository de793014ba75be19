// The session holder's in-band marker: `ESC ] 5379 ; as-session ; {json} BEL`, printed by
// `as-session attach` before the replayed output. Parsed at the byte level so the output around it
// can be counted exactly (the byte offset is what a reattach asks the holder to resume from).

const START = Buffer.from('\x1b]5379;as-session;', 'latin1');
const BEL = 0x07;
/** A marker longer than this is not ours: pass the bytes through. */
const MAX_MARKER = 4096;

export type SessionEvent =
  | { event: 'attached'; new: boolean; started: number; now: number; from: number; lost: number; pid?: number | undefined }
  | { event: 'bumped' }
  | { event: 'error'; message: string };

/** Validates a marker's JSON; anything malformed is undefined (and its bytes are dropped). */
export function parseEvent(json: string): SessionEvent | undefined {
  let v: unknown;
  try {
    v = JSON.parse(json);
  } catch {
    return undefined;
  }
  if (!v || typeof v !== 'object') return undefined;
  const o = v as Record<string, unknown>;
  const num = (k: string) => (typeof o[k] === 'number' && Number.isFinite(o[k]) ? o[k] : undefined);
  switch (o['event']) {
    case 'attached': {
      const started = num('started');
      const now = num('now');
      const from = num('from');
      if (typeof o['new'] !== 'boolean' || started === undefined || now === undefined || from === undefined) return undefined;
      return { event: 'attached', new: o['new'], started, now, from, lost: num('lost') ?? 0, pid: num('pid') };
    }
    case 'bumped':
      return { event: 'bumped' };
    case 'error':
      return { event: 'error', message: typeof o['message'] === 'string' ? o['message'].slice(0, 500) : 'unknown error' };
    default:
      return undefined;
  }
}

/**
 * Splits a terminal byte stream into output and markers, across chunk boundaries. `offset` is the
 * holder's byte offset of the next output byte: set by each `attached` marker, advanced by output.
 */
export class MarkerParser {
  private pending = Buffer.alloc(0);
  offset = 0;

  push(chunk: Buffer): { data: Buffer; events: SessionEvent[] } {
    let buf = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    this.pending = Buffer.alloc(0);
    const out: Buffer[] = [];
    const events: SessionEvent[] = [];
    const emit = (b: Buffer) => {
      if (!b.length) return;
      out.push(b);
      this.offset += b.length;
    };
    for (;;) {
      const at = buf.indexOf(0x1b);
      if (at < 0) {
        emit(buf);
        break;
      }
      emit(buf.subarray(0, at));
      buf = buf.subarray(at);
      const head = buf.subarray(0, START.length);
      if (!START.subarray(0, head.length).equals(head)) {
        // An ordinary escape sequence: pass the ESC on and keep scanning after it.
        emit(buf.subarray(0, 1));
        buf = buf.subarray(1);
        continue;
      }
      const end = buf.indexOf(BEL, START.length);
      if (end < 0) {
        if (buf.length > MAX_MARKER) {
          emit(buf.subarray(0, 1));
          buf = buf.subarray(1);
          continue;
        }
        this.pending = Buffer.from(buf); // wait for the rest
        break;
      }
      const ev = parseEvent(buf.subarray(START.length, end).toString('utf8'));
      if (ev) {
        events.push(ev);
        if (ev.event === 'attached') this.offset = ev.from;
      }
      buf = buf.subarray(end + 1);
    }
    return { data: out.length === 1 ? out[0]! : Buffer.concat(out), events };
  }
}

/** "3 min", "2 h 5 min", "40 s": how old a session is, for "Reattached (session 3 min old)". */
export function describeAge(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 48) return m % 60 ? `${h} h ${m % 60} min` : `${h} h`;
  return `${Math.floor(h / 24)} days`;
}
