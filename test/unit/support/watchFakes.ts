// Test doubles for the list+watch stack: a clock the test advances and a transport the test
// scripts (informer, ClusterModel and ContextSession tests share them).
import type { Clock } from '../../../src/core/k8s/clock';
import type { KubeError } from '../../../src/core/k8s/errors';
import type { ListResult, WatchEvent, WatchTransport } from '../../../src/core/k8s/watchTransport';

/** A clock whose timers run only when the test advances it. */
export class FakeClock implements Clock {
  t = 1_000_000;
  timers: { at: number; fn: () => void; id: number }[] = [];
  private next = 1;
  now() {
    return this.t;
  }
  setTimeout(fn: () => void, ms: number) {
    const id = this.next++;
    this.timers.push({ at: this.t + ms, fn, id });
    return id;
  }
  clearTimeout(h: unknown) {
    this.timers = this.timers.filter((x) => x.id !== h);
  }
  advance(ms: number) {
    this.t += ms;
    for (;;) {
      const due = this.timers.filter((x) => x.at <= this.t).sort((a, b) => a.at - b.at)[0];
      if (!due) return;
      this.timers = this.timers.filter((x) => x !== due);
      due.fn();
    }
  }
}

/** A scripted transport: the test answers each list and drives each watch. */
export class ScriptedTransport implements WatchTransport {
  lists: { resolve: (r: ListResult) => void; reject: (e: unknown) => void }[] = [];
  watches: { rv: string; emit: (e: WatchEvent) => void; open: () => void; close: (err?: KubeError) => void; closed: boolean }[] = [];
  list(): Promise<ListResult> {
    return new Promise((resolve, reject) => this.lists.push({ resolve, reject }));
  }
  watch(rv: string, onEvent: (e: WatchEvent) => void, onClose: (err?: KubeError) => void, onOpen?: () => void) {
    const w = {
      rv,
      emit: onEvent,
      open: () => onOpen?.(),
      close: (err?: KubeError) => {
        if (!w.closed) {
          w.closed = true;
          onClose(err);
        }
      },
      closed: false,
    };
    this.watches.push(w);
    return {
      close: () => {
        w.closed = true;
      },
    };
  }
}

/** Lets settled promises run their continuations (a transport's list answer reaching the informer). */
export const tick = () => new Promise((r) => setImmediate(r));
