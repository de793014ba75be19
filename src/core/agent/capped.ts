/**
 * Collects a stream up to a byte cap, keeping its head and its tail (an error usually ends the
 * output), and counts what was dropped in between so the result can say so.
 */
export class CappedOutput {
  private readonly head: Buffer[] = [];
  private headBytes = 0;
  private tail: Buffer[] = [];
  private tailBytes = 0;
  total = 0;

  constructor(readonly cap: number) {}

  push(chunk: Uint8Array): void {
    let b = Buffer.from(chunk);
    this.total += b.length;
    const headCap = Math.ceil(this.cap / 2);
    if (this.headBytes < headCap) {
      const take = Math.min(headCap - this.headBytes, b.length);
      this.head.push(b.subarray(0, take));
      this.headBytes += take;
      b = b.subarray(take);
    }
    if (!b.length) return;
    this.tail.push(b);
    this.tailBytes += b.length;
    const tailCap = this.cap - headCap;
    // Keep the tail bounded: drop whole chunks, then trim the oldest one.
    for (let first = this.tail[0]; this.tailBytes > tailCap && first; first = this.tail[0]) {
      const over = this.tailBytes - tailCap;
      if (first.length <= over) {
        this.tail.shift();
        this.tailBytes -= first.length;
      } else {
        this.tail[0] = first.subarray(over);
        this.tailBytes -= over;
      }
    }
  }

  get omitted(): number {
    return this.total - this.headBytes - this.tailBytes;
  }

  /** The text, with a "[truncated, N bytes omitted]" line where the middle was dropped. */
  text(): string {
    const head = Buffer.concat(this.head);
    const tail = Buffer.concat(this.tail);
    if (this.omitted === 0) return Buffer.concat([head, tail]).toString('utf8');
    return `${head.toString('utf8')}\n[truncated, ${this.omitted} bytes omitted]\n${tail.toString('utf8')}`;
  }
}
