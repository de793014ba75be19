import type { ExecResult } from './status';

/** Shells tried, in order, when the user did not name one. */
export const DEFAULT_SHELLS = ['bash', 'ash', 'sh'] as const;

/** Printed by the probe when no candidate exists; also how we tell it from a user's `exit 127`. */
export const NO_SHELL_MARKER = 'agent-sandbox: no shell found';

/**
 * The probe: a fixed POSIX script; the candidates arrive as arguments ("$@"), never spliced into
 * the script text, so a shell name or path from a setting cannot inject anything. TERM defaults
 * to what VS Code's terminal emulates, since exec does not pass one (vim, less, clear need it).
 */
export const PROBE_SCRIPT = [
  'TERM="${TERM:-xterm-256color}"; export TERM',
  'for s in "$@"; do if command -v "$s" >/dev/null 2>&1; then exec "$s"; fi; done',
  `echo "${NO_SHELL_MARKER} (tried: $*)" >&2`,
  'exit 127',
].join('\n');

/** Argv for each attempt: the probe in one exec, then (only when `sh` itself is missing) each candidate directly. */
export interface ShellPlan {
  tried: string[];
  /** Never empty: the probe comes first. */
  attempts: [string[], ...string[][]];
}

/** Setting empty: bash → ash → sh. Setting set: that one program (a name or an absolute path, no arguments). */
export function shellPlan(setting: string | undefined): ShellPlan {
  const named = setting?.trim();
  const tried = named ? [named] : [...DEFAULT_SHELLS];
  // The direct attempts run only when the probe's `sh` is missing, so `sh` itself is not retried.
  const direct = tried.filter((s) => s !== 'sh').map((s) => [s]);
  return { tried, attempts: [['sh', '-c', PROBE_SCRIPT, 'agent-sandbox-shell', ...tried], ...direct] };
}

/** Runtime messages for "the program to exec does not exist" (runc, crun, gVisor, kwok, CRI). */
const NOT_FOUND = /executable file not found|no such file or directory|command not found/i;

export type AttemptOutcome = { kind: 'retry'; next: number } | { kind: 'end'; ending: ShellEnding };

export type ShellEnding =
  | { kind: 'exited'; code: number }
  | { kind: 'no-shell'; tried: string[]; detail?: string }
  | { kind: 'failed'; message: string }
  | { kind: 'lost'; message: string; closeCode?: number | undefined }
  | { kind: 'closed' };

/**
 * How an exec's end reads as the shell's ending once no other attempt is due: exit 127 after the
 * probe's marker (in `head`, the start of the output) means no shell, naming `tried`; a failure
 * keeps only its message; an exit code or a lost connection is what it is.
 */
export function shellEnding(result: ExecResult, head: string, tried: string[]): ShellEnding {
  if (result.kind === 'exited' && result.code === 127 && head.includes(NO_SHELL_MARKER)) return { kind: 'no-shell', tried };
  if (result.kind === 'failed') return { kind: 'failed', message: result.message };
  return result;
}

/**
 * What to do when attempt `index` ended with `result`. `head` is the start of its output: the
 * probe's marker (exit 127) means no candidate exists; a runtime "not found" failure before any
 * output means the program itself (`sh` for the probe) is missing, so try the next attempt.
 */
export function afterAttempt(plan: ShellPlan, index: number, result: ExecResult, head: string): AttemptOutcome {
  if (result.kind === 'failed' && head.length === 0 && NOT_FOUND.test(result.message)) {
    if (index + 1 < plan.attempts.length) return { kind: 'retry', next: index + 1 };
    return { kind: 'end', ending: { kind: 'no-shell', tried: plan.tried, detail: result.message } };
  }
  // Only the probe (attempt 0) prints the marker: a shell run directly that exits 127 just exited.
  return { kind: 'end', ending: shellEnding(result, index === 0 ? head : '', plan.tried) };
}

/** One line a terminal shows when its session ended; `container` names where we looked. */
export function describeEnding(e: ShellEnding, container?: string): string {
  switch (e.kind) {
    case 'exited':
      return `Process exited with code ${e.code}`;
    case 'no-shell':
      return `No shell found in ${container ? `container ${container}` : 'the container'} (tried ${e.tried.join(', ')})${e.detail ? `: ${e.detail}` : ''}`;
    case 'failed':
      return `The session failed: ${e.message}`;
    case 'lost':
      return `Connection lost: ${e.message}`;
    case 'closed':
      return 'Session closed';
  }
}
