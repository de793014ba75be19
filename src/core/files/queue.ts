/**
 * Caps how many execs run at once per key (one key per sandbox container). Opening many files at
 * once otherwise floods the API server and the kubelet with parallel exec streams, which peers
 * report as random failures (vscode-containers #100).
 */
export class KeyedLimiter {
  private readonly slots = new Map<string, { active: number; waiting: (() => void)[] }>();

  constructor(private readonly max: number) {
    if (!(max >= 1)) throw new Error('the limit must be at least 1');
  }

  async run<T>(key: string, task: () => Promise<T>): Promise<T> {
    let slot = this.slots.get(key);
    if (!slot) {
      slot = { active: 0, waiting: [] };
      this.slots.set(key, slot);
    }
    // A waiter is handed its slot still counted (see finally): it resumes on a later tick, and a
    // caller arriving meanwhile must not see the slot as free.
    if (slot.active >= this.max) await new Promise<void>((resolve) => slot.waiting.push(resolve));
    else slot.active++;
    try {
      return await task();
    } finally {
      const next = slot.waiting.shift();
      if (next) next();
      else if (--slot.active === 0) this.slots.delete(key);
    }
  }

  /** How many tasks run now for a key (for tests and diagnostics). */
  active(key: string): number {
    return this.slots.get(key)?.active ?? 0;
  }
}
