/**
 * Decodes a byte stream as UTF-8 across frame boundaries: a character split between two exec
 * frames is held back until its last byte arrives instead of becoming U+FFFD twice.
 */
export class Utf8Stream {
  private readonly decoder = new TextDecoder('utf-8', { fatal: false });

  /** Text for the bytes so far; an incomplete trailing character waits for the next chunk. */
  decode(chunk: Uint8Array): string {
    return this.decoder.decode(chunk, { stream: true });
  }

  /** Flushes what is held back (an incomplete character at the very end becomes U+FFFD). */
  end(): string {
    return this.decoder.decode();
  }
}
