import type { ShellEnding } from './shell';
import { Utf8Stream } from './utf8';

/** Bytes of the first output kept to recognise the probe's "no shell" marker. */
const HEAD_BYTES = 512;

/**
 * What a plain and a persistent shell share about their output and their one ending: output is
 * decoded as UTF-8 across chunks, its start kept as `head` (where the probe's marker shows), and
 * the ending is reported exactly once, after what the decoder still held.
 */
export class ShellOutput {
  head = '';
  /** Set by `close`: whatever the exec reports afterwards, the ending is `closed`. */
  closedByUs = false;
  private readonly decoder = new Utf8Stream();
  private done = false;

  constructor(private readonly sink: { output(text: string): void; end(ending: ShellEnding): void }) {}

  get ended(): boolean {
    return this.done;
  }

  push(data: Buffer): void {
    const text = this.decoder.decode(data);
    if (this.head.length < HEAD_BYTES) this.head += text.slice(0, HEAD_BYTES - this.head.length);
    if (text) this.sink.output(text);
  }

  /** Ends from our side: through the open exec (whose end then reads as `closed`), or at once when none is open. */
  close(exec: { readonly isOpen: boolean; close(): void } | undefined): void {
    if (this.done) return;
    this.closedByUs = true;
    if (exec?.isOpen) exec.close();
    else this.end({ kind: 'closed' });
  }

  end(ending: ShellEnding): void {
    if (this.done) return;
    this.done = true;
    const rest = this.decoder.end();
    if (rest) this.sink.output(rest);
    this.sink.end(ending);
  }
}
