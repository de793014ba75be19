import type { KubeClient } from '../k8s/client';
import { ExecSession } from '../exec/execSession';
import type { ExecResult } from '../exec/status';

/** Bytes to send: in memory, or streamed (uploads of large local files) with a known length. */
export type ByteSource = Uint8Array | { size: number; chunks(): AsyncIterable<Uint8Array> };

export function sourceSize(s: ByteSource): number {
  return s instanceof Uint8Array ? s.byteLength : s.size;
}

export interface PodRef {
  client: KubeClient;
  namespace: string;
  pod: string;
  container: string;
  /** Shown in messages: "sandbox my-sb". */
  label: string;
}

export interface RunOptions {
  script: string;
  args: string[];
  input?: ByteSource;
  /** Receives stdout as it arrives instead of collecting it (downloads). */
  onStdout?(chunk: Buffer): void;
  /** Collected stdout beyond this aborts the exec (a guard; scripts enforce the real limits). */
  maxStdout?: number | undefined;
  /** No output and no input progress for this long: give up (a read stuck on a /proc file, a dead node). */
  idleTimeoutMs?: number;
  /** Aborting drops the connection the way a network failure would. */
  signal?: AbortSignal | undefined;
  onInputProgress?: ((sent: number) => void) | undefined;
}

export interface RunResult {
  result: ExecResult;
  stdout: Buffer;
  stderr: Buffer;
}

const CHUNK = 256 * 1024;

/** Runs one fixed script in the pod as `sh -c SCRIPT sh ARGS…`, never through a TTY (binary-safe). */
export async function runScript(pod: PodRef, o: RunOptions): Promise<RunResult> {
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  let outBytes = 0;
  let lastActivity = Date.now();
  let resolveEnd!: (r: ExecResult) => void;
  const ended = new Promise<ExecResult>((r) => (resolveEnd = r));
  let session: ExecSession | undefined;
  let overflow = false;

  // The stdout handler below may close the session before open() has returned it.
  // eslint-disable-next-line prefer-const
  session = await ExecSession.open(
    pod.client,
    {
      namespace: pod.namespace,
      pod: pod.pod,
      container: pod.container,
      command: ['sh', '-c', o.script, 'sh', ...o.args],
      tty: false,
      stdin: o.input !== undefined,
      pingMs: 0,
      signal: o.signal,
    },
    {
      stdout: (d) => {
        lastActivity = Date.now();
        if (o.onStdout) return o.onStdout(Buffer.from(d));
        outBytes += d.length;
        if (o.maxStdout !== undefined && outBytes > o.maxStdout) {
          overflow = true;
          session?.close();
          return;
        }
        out.push(Buffer.from(d));
      },
      stderr: (d) => {
        lastActivity = Date.now();
        if (err.reduce((n, b) => n + b.length, 0) < 64 * 1024) err.push(Buffer.from(d));
      },
      end: (r) => resolveEnd(r),
    },
  );
  const s = session;
  const onAbort = () => s.terminate();
  o.signal?.addEventListener('abort', onAbort, { once: true });
  let idleTimer: NodeJS.Timeout | undefined;
  let idleResult: ExecResult | undefined;
  if (o.idleTimeoutMs) {
    const idle = o.idleTimeoutMs;
    idleTimer = setInterval(
      () => {
        if (Date.now() - lastActivity > idle) {
          idleResult = { kind: 'lost', message: `no progress for ${Math.round(idle / 1000)} s` };
          s.close();
        }
      },
      Math.min(1000, idle),
    );
    idleTimer.unref?.();
  }
  try {
    if (o.input !== undefined) await sendInput(s, o.input, () => (lastActivity = Date.now()), o.onInputProgress);
    const result = await ended;
    if (overflow)
      return {
        result: { kind: 'failed', message: `more output than the ${o.maxStdout} bytes expected` },
        stdout: Buffer.concat(out),
        stderr: Buffer.concat(err),
      };
    return { result: idleResult ?? result, stdout: Buffer.concat(out), stderr: Buffer.concat(err) };
  } finally {
    if (idleTimer) clearInterval(idleTimer);
    o.signal?.removeEventListener('abort', onAbort);
  }
}

async function sendInput(s: ExecSession, input: ByteSource, touch: () => void, progress?: (n: number) => void): Promise<void> {
  let sent = 0;
  const send = async (data: Uint8Array) => {
    for (let i = 0; i < data.byteLength && s.isOpen; i += CHUNK) {
      const part = data.subarray(i, i + CHUNK);
      s.write(part);
      sent += part.byteLength;
      touch();
      await s.drain();
      // Let socket events run between chunks: an early exit (FileExists…) stops the upload at once.
      await new Promise((r) => setImmediate(r));
      progress?.(sent);
    }
  };
  if (input instanceof Uint8Array) await send(input);
  else
    for await (const chunk of input.chunks()) {
      if (!s.isOpen) break;
      await send(chunk);
    }
  // v5 ends stdin; on v4 the scripts still stop after the announced byte count (head -c).
  s.closeStdin();
}
