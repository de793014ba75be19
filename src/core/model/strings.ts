/**
 * One copy of each string that repeats across a fleet's objects. JSON.parse makes a new string
 * for every occurrence, so 10,000 sandboxes hold 10,000 copies of their namespace, image,
 * condition reasons and messages, label values and quantities; a table the model fills as it
 * ingests objects keeps one. It is bounded: when full it starts over (objects keep the copies
 * they have, so the cost of starting over is a few more copies, never a wrong value).
 */
export class StringTable {
  private readonly table = new Map<string, string>();

  constructor(
    private readonly max = 20_000,
    /** Longer strings (messages aside) are rarely repeated: they are kept as they are. */
    private readonly maxLength = 160,
  ) {}

  get size(): number {
    return this.table.size;
  }

  get(s: string): string {
    if (s.length > this.maxLength) return s;
    const known = this.table.get(s);
    if (known !== undefined) return known;
    if (this.table.size >= this.max) this.table.clear();
    this.table.set(s, s);
    return s;
  }

  /**
   * A copy of a JSON value with its strings taken from the table, except the values under the
   * keys in `unique` (a uid, a timestamp: one per object, so sharing them gains nothing).
   */
  copy(v: unknown, unique?: ReadonlySet<string>): unknown {
    if (typeof v === 'string') return this.get(v);
    if (!v || typeof v !== 'object') return v;
    if (Array.isArray(v)) {
      const arr = new Array<unknown>(v.length);
      for (let i = 0; i < v.length; i++) arr[i] = this.copy(v[i], unique);
      return arr;
    }
    const src = v as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    // for…in, not Object.entries: no pair arrays for every object of every ingested object (JSON objects have no inherited keys).
    for (const k in src) out[k] = unique?.has(k) ? src[k] : this.copy(src[k], unique);
    return out;
  }
}
