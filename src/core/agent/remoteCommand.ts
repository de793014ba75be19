import { ExecSession } from '../exec/execSession';
import type { ExecResult } from '../exec/status';
import type { PodRef } from '../files/runner';
import { CappedOutput } from './capped';

/** The first stderr line of every agent command: the PID of its process (group), for killing it. */
export const PID_MARKER = 'agent-sandbox-pid:';

/**
 * Fixed wrapper: `sh -c WRAPPER sh CWD N K=V… -- ARGV…`. It changes directory, exports the N
 * variables, then starts the command in its own session (setsid, when the image has it) so that a
 * cancel or timeout can kill the whole process group, after printing that PID on stderr. Data only
 * ever arrives as arguments, never as script text.
 */
export const RUN_WRAPPER = [
  'd=$1; n=$2; shift 2',
  'if [ -n "$d" ]; then cd -- "$d" || exit 126; fi',
  'while [ "$n" -gt 0 ]; do export "$1"; shift; n=$((n - 1)); done',
  'shift',
  `s='printf "${PID_MARKER}%s\\n" "$$" >&2; exec "$@"'`,
  'if command -v setsid >/dev/null 2>&1; then setsid sh -c "$s" sh "$@" & else sh -c "$s" sh "$@" & fi',
  'wait $!',
].join('\n');

/** Kills a process group (or, without setsid, the process): TERM, then KILL after 2 s. */
export const KILL_SCRIPT = [
  'p=$1',
  // No "--" before the negative PID: dash's kill rejects it.
  'kill -TERM "-$p" 2>/dev/null || kill -TERM "$p" 2>/dev/null || exit 0',
  'i=0; while [ $i -lt 20 ] && kill -0 "$p" 2>/dev/null; do sleep 0.1; i=$((i + 1)); done',
  'kill -KILL "-$p" 2>/dev/null || kill -KILL "$p" 2>/dev/null',
  'exit 0',
].join('\n');

export function wrapperArgv(o: { argv: string[]; cwd?: string | undefined; env: Record<string, string> }): string[] {
  const env = Object.entries(o.env).map(([k, v]) => `${k}=${v}`);
  return ['sh', '-c', RUN_WRAPPER, 'sh', o.cwd ?? '', String(env.length), ...env, '--', ...o.argv];
}

export interface RemoteRun {
  result: ExecResult | { kind: 'timeout' } | { kind: 'cancelled' };
  stdout: CappedOutput;
  stderr: CappedOutput;
  /** The remote PID, when the wrapper reported it. */
  pid?: number | undefined;
  /** Whether a kill was sent (timeout or cancel). */
  killed: boolean;
}

/**
 * Strips the wrapper's PID line from the front of stderr as it streams in; everything after it
 * goes to the capped buffer untouched.
 */
export class PidLineSplitter {
  private pending: Buffer | undefined = Buffer.alloc(0);
  pid: number | undefined;

  constructor(
    private readonly onPid: (pid: number) => void,
    private readonly out: (b: Buffer) => void,
  ) {}

  push(chunk: Buffer): void {
    if (!this.pending) return this.out(chunk);
    const buf = Buffer.concat([this.pending, chunk]);
    const nl = buf.indexOf(0x0a);
    if (nl < 0 && buf.length < 64) {
      this.pending = buf;
      return;
    }
    this.pending = undefined;
    const line = buf.subarray(0, nl < 0 ? 0 : nl).toString('latin1');
    const m = new RegExp(`^${PID_MARKER}(\\d+)$`).exec(line);
    if (m) {
      this.pid = Number(m[1]);
      this.onPid(this.pid);
      const rest = buf.subarray(nl + 1);
      if (rest.length) this.out(rest);
    } else this.out(buf);
  }

  /** Output that never completed a line (the wrapper failed before the marker). */
  flush(): void {
    if (this.pending?.length) this.out(this.pending);
    this.pending = undefined;
  }
}

/**
 * Runs the wrapped command and collects capped output. On timeout or abort it kills the remote
 * process group over a second exec, then waits (briefly) for the first one to end.
 */
export async function runRemote(pod: PodRef, argv: string[], o: { cap: number; timeoutMs: number; signal?: AbortSignal | undefined }): Promise<RemoteRun> {
  const stdout = new CappedOutput(o.cap);
  const stderr = new CappedOutput(o.cap);
  let pid: number | undefined;
  const splitter = new PidLineSplitter(
    (p) => (pid = p),
    (b) => stderr.push(b),
  );
  let resolveEnd!: (r: ExecResult) => void;
  const ended = new Promise<ExecResult>((r) => (resolveEnd = r));
  const session = await ExecSession.open(
    pod.client,
    { namespace: pod.namespace, pod: pod.pod, container: pod.container, command: argv, tty: false, stdin: false, pingMs: 0, signal: o.signal },
    { stdout: (d) => stdout.push(d), stderr: (d) => splitter.push(Buffer.from(d)), end: (r) => resolveEnd(r) },
  );
  let stop: 'timeout' | 'cancelled' | undefined;
  let wake!: () => void;
  const stopped = new Promise<void>((r) => (wake = r));
  const timer = setTimeout(() => {
    stop = 'timeout';
    wake();
  }, o.timeoutMs);
  const onAbort = () => {
    stop ??= 'cancelled';
    wake();
  };
  if (o.signal?.aborted) onAbort();
  o.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const first = await Promise.race([ended, stopped.then(() => undefined)]);
    if (first) {
      splitter.flush();
      return { result: first, stdout, stderr, pid, killed: false };
    }
    if (pid !== undefined) await killRemote(pod, pid);
    // The wrapper ends once its child died; do not wait on a server that never reports it.
    await Promise.race([ended, new Promise((r) => setTimeout(r, 5_000))]);
    session.close();
    splitter.flush();
    return { result: { kind: stop as 'timeout' | 'cancelled' }, stdout, stderr, pid, killed: pid !== undefined };
  } finally {
    clearTimeout(timer);
    o.signal?.removeEventListener('abort', onAbort);
  }
}

export async function killRemote(pod: PodRef, pid: number): Promise<void> {
  if (!Number.isInteger(pid) || pid <= 1) return;
  const done = new Promise<void>((resolve) => {
    ExecSession.open(
      pod.client,
      {
        namespace: pod.namespace,
        pod: pod.pod,
        container: pod.container,
        command: ['sh', '-c', KILL_SCRIPT, 'sh', String(pid)],
        tty: false,
        stdin: false,
        pingMs: 0,
      },
      { end: () => resolve() },
    ).catch(() => resolve());
  });
  await Promise.race([done, new Promise((r) => setTimeout(r, 10_000))]);
}
