import type { KubeClient } from '../k8s/client';
import { ExecSession } from './execSession';
import { afterAttempt, ShellEnding, ShellPlan, shellPlan } from './shell';
import { ShellOutput } from './shellOutput';
import type { ExecResult } from './status';

export interface ShellTarget {
  namespace: string;
  pod: string;
  container?: string | undefined;
}

export interface ShellSessionOptions extends ShellTarget {
  /** The configured shell (a program name or path); empty: bash → ash → sh. */
  shell?: string | undefined;
  size: { cols: number; rows: number };
  pingMs?: number;
  deadAfterMs?: number;
  connectTimeoutMs?: number;
  signal?: AbortSignal;
}

export interface ShellSessionHandlers {
  /** Decoded terminal output (a TTY merges stderr into it). */
  output(text: string): void;
  /** Called exactly once. */
  end(ending: ShellEnding): void;
}

/**
 * An interactive TTY shell in a container, free of VS Code: the shell probe (with a direct-exec
 * fallback when `sh` itself is missing), UTF-8 stream decoding, the current size carried across
 * attempts, and one ending. The terminal and the integration tests drive this same class.
 */
export class ShellSession {
  private current: ExecSession | undefined;
  private readonly plan: ShellPlan;
  private readonly out: ShellOutput;
  private size: { cols: number; rows: number };

  private constructor(
    private readonly client: KubeClient,
    private readonly options: ShellSessionOptions,
    handlers: ShellSessionHandlers,
  ) {
    this.plan = shellPlan(options.shell);
    this.size = options.size;
    this.out = new ShellOutput(handlers);
  }

  /** Resolves once the first exec's websocket is open; rejects with a KubeError when it is refused. */
  static async open(client: KubeClient, options: ShellSessionOptions, handlers: ShellSessionHandlers): Promise<ShellSession> {
    const session = new ShellSession(client, options, handlers);
    await session.attempt(0);
    return session;
  }

  /** The exec protocol negotiated (v5 or v4), for logs. */
  get protocol(): string | undefined {
    return this.current?.protocol;
  }

  get isOpen(): boolean {
    return !this.out.ended && !!this.current?.isOpen;
  }

  write(data: string): void {
    this.current?.write(data);
  }

  resize(cols: number, rows: number): void {
    this.size = { cols, rows };
    this.current?.resize(cols, rows);
  }

  /** Ends the session from our side (terminal closed, sandbox hibernated); reported as `closed`. */
  close(): void {
    // Between attempts there is no open exec to wait for: it ends now.
    this.out.close(this.current);
  }

  /** Drops the socket without a goodbye, as a dead network would (tests). */
  terminate(): void {
    this.current?.terminate();
  }

  private async attempt(index: number): Promise<void> {
    const o = this.options;
    const command = this.plan.attempts[index];
    if (!command) throw new Error(`no shell attempt ${index}`);
    const exec = await ExecSession.open(
      this.client,
      {
        namespace: o.namespace,
        pod: o.pod,
        container: o.container,
        command,
        tty: true,
        stdin: true,
        size: this.size,
        pingMs: o.pingMs,
        deadAfterMs: o.deadAfterMs,
        connectTimeoutMs: o.connectTimeoutMs,
        signal: o.signal,
      },
      {
        stdout: (d) => this.out.push(d),
        stderr: (d) => this.out.push(d),
        end: (r) => this.onAttemptEnd(index, r),
      },
    );
    this.current = exec;
    if (this.out.closedByUs) exec.close();
  }

  private onAttemptEnd(index: number, result: ExecResult): void {
    if (this.out.closedByUs) return this.out.end({ kind: 'closed' });
    const next = afterAttempt(this.plan, index, result, this.out.head);
    if (next.kind === 'end') return this.out.end(next.ending);
    this.attempt(next.next).catch((err: unknown) => this.out.end({ kind: 'failed', message: err instanceof Error ? err.message : String(err) }));
  }
}
