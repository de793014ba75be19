// Waiting in tests without fixed sleeps: poll a condition, wake on change events, or put a
// deadline on a promise. Each fails with what it was waiting for.

export interface WaitOptions {
  /** Milliseconds before giving up; default 30 s. */
  timeout?: number;
  /** What was being waited for, for the error message (a function is called only on timeout). */
  message?: string | (() => string | Promise<string>);
  /** Milliseconds between checks; default 200. */
  interval?: number;
}

/**
 * Polls `fn` until it returns a truthy value (returned) or the timeout passes (throws). An error
 * thrown by `fn` counts as "not yet" (a UI or a cluster can refuse while it settles) and is named in
 * the timeout message.
 */
export async function waitFor<T>(fn: () => T | Promise<T>, opts: WaitOptions = {}): Promise<NonNullable<T>> {
  const timeout = opts.timeout ?? 30_000;
  const deadline = Date.now() + timeout;
  let last: unknown;
  let lastError: unknown;
  for (;;) {
    try {
      last = await fn();
      if (last) return last as NonNullable<T>;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) {
      const detail = lastError instanceof Error ? ` (last error: ${lastError.message})` : last !== undefined ? ` (last value: ${JSON.stringify(last)})` : '';
      const what = typeof opts.message === 'function' ? await opts.message() : opts.message;
      throw new Error(`timed out after ${timeout} ms waiting for ${what ?? 'a condition'}${detail}`);
    }
    await new Promise((r) => setTimeout(r, opts.interval ?? 200));
  }
}

/** Rejects when `p` does not settle within `ms` (for a promise the test awaits, never a sleep). */
export function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms)));
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/**
 * What tells `until` to look again: something with `onDidChange` (a ClusterModel), or a function
 * that is handed the wake-up to call (a test's own sink); what it returns is disposed when done if
 * it has `dispose`.
 */
export type Changes = { onDidChange(listener: () => void): { dispose(): void } } | ((wake: () => void) => unknown);

const disposable = (x: unknown): x is { dispose(): void } => typeof (x as { dispose?: unknown } | undefined)?.dispose === 'function';

/**
 * Resolves when `check` passes: checked at once and again on every change, with no polling; rejects
 * after `timeoutMs`. `what` may be a function, called on timeout, to show the state then.
 */
export function until(changes: Changes, what: string | (() => string), check: () => boolean, timeoutMs = 60_000): Promise<void> {
  return new Promise((resolve, reject) => {
    let done = false;
    let sub: { dispose(): void } | undefined;
    const finish = (err?: Error) => {
      done = true;
      clearTimeout(timer);
      sub?.dispose();
      if (err) reject(err);
      else resolve();
    };
    const timer = setTimeout(
      () => finish(new Error(`timed out after ${timeoutMs / 1000} s waiting for ${typeof what === 'function' ? what() : what}`)),
      timeoutMs,
    );
    const wake = () => {
      if (!done && check()) finish();
    };
    const got = typeof changes === 'function' ? changes(wake) : changes.onDidChange(wake);
    sub = disposable(got) ? got : undefined;
    if (done)
      sub?.dispose(); // the subscription itself woke us before it was returned
    else wake();
  });
}
