// Waits on the workbench: the shared poll (test/support/wait.ts) with the e2e default timeout, and
// the label matching every area uses.
import { waitFor as poll, type WaitOptions } from '../../support/wait';

export type { WaitOptions };

/** Default time any single wait may take. Workbench start and cluster reactions can be slow on 2 cores. */
export const DEFAULT_TIMEOUT = Number(process.env['AGENT_SANDBOX_E2E_TIMEOUT'] ?? 30_000);

/** Polls `fn` until it returns a truthy value (returned) or the timeout passes (throws). */
export function waitFor<T>(fn: () => T | Promise<T>, opts: WaitOptions = {}): Promise<NonNullable<T>> {
  return poll(fn, { ...opts, timeout: opts.timeout ?? DEFAULT_TIMEOUT });
}

/** A label equals a string (trimmed) or matches a RegExp. */
export function matches(text: string, want: string | RegExp): boolean {
  return typeof want === 'string' ? text.trim() === want : want.test(text);
}

/** `s` as a literal inside a RegExp. */
export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
