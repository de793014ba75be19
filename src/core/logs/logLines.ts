import { compareTimestamps } from './logMachine';

export interface LogLine {
  /** The kubelet's RFC3339Nano timestamp (requested with timestamps=true). */
  timestamp?: string | undefined;
  text: string;
}

const TS = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)) ?/;

export function splitTimestamp(line: string): LogLine {
  const m = TS.exec(line);
  return m ? { timestamp: m[1], text: line.slice(m[0].length) } : { text: line };
}

/**
 * Cuts a log stream into lines (chunks split lines anywhere) and drops the lines a resumed
 * stream repeats: sinceTime has one-second resolution, so the server re-sends the last second.
 */
export class LogLineSplitter {
  private buffer = '';

  constructor(private readonly skipThrough?: string) {}

  push(chunk: string): LogLine[] {
    this.buffer += chunk;
    const out: LogLine[] = [];
    let nl: number;
    while ((nl = this.buffer.indexOf('\n')) >= 0) {
      const raw = this.buffer.slice(0, nl).replace(/\r$/, '');
      this.buffer = this.buffer.slice(nl + 1);
      this.keep(splitTimestamp(raw), out);
    }
    return out;
  }

  /** The unterminated rest, when the stream ends. */
  flush(): LogLine[] {
    const rest = this.buffer;
    this.buffer = '';
    const out: LogLine[] = [];
    if (rest) this.keep(splitTimestamp(rest), out);
    return out;
  }

  private keep(line: LogLine, out: LogLine[]): void {
    if (this.skipThrough && line.timestamp && compareTimestamps(line.timestamp, this.skipThrough) <= 0) return;
    out.push(line);
  }
}

/** How a line is shown: with a dimmed timestamp when the user wants them. */
export function formatLine(line: LogLine, showTimestamps: boolean): string {
  if (showTimestamps && line.timestamp) return `\x1b[2m${line.timestamp}\x1b[22m ${line.text}\n`;
  return `${line.text}\n`;
}
