import type { KubeClient } from '../../k8s/client';
import { ExecSession, execCollect } from '../execSession';
import { shellEnding, shellPlan } from '../shell';
import { ShellOutput } from '../shellOutput';
import type { ShellSessionHandlers, ShellSessionOptions } from '../shellSession';
import type { ExecResult } from '../status';
import { attachArgv, failure, HelperPlace, startArgv } from './helperInstall';
import { MarkerParser, SessionEvent } from './marker';

/** What a terminal drives: a plain ShellSession or a PersistentShell. */
export interface TerminalShell {
  readonly protocol: string | undefined;
  readonly isOpen: boolean;
  write(data: string): void;
  resize(cols: number, rows: number): void;
  /** Ends this connection; a persistent session keeps running. */
  close(): void;
  terminate(): void;
}

export interface PersistentShellOptions extends ShellSessionOptions {
  place: HelperPlace;
  id: string;
  /** Byte offset already shown (0: replay all the scrollback the holder keeps). */
  since: number;
}

export interface PersistentShellHandlers extends ShellSessionHandlers {
  event(e: SessionEvent): void;
}

/**
 * One connection to a shell kept by the sandbox's session holder (`as-session attach`): the same
 * surface as ShellSession, plus the holder's markers and the byte offset to resume from. Ending
 * the connection (lost, closed) leaves the shell running; `exited` means the shell itself ended.
 */
export class PersistentShell implements TerminalShell {
  private exec: ExecSession | undefined;
  private readonly parser = new MarkerParser();
  private readonly out: ShellOutput;
  private failure: string | undefined;
  /** Another terminal attached to the same session (the holder serves one at a time). */
  bumped = false;

  private constructor(private readonly handlers: PersistentShellHandlers) {
    this.out = new ShellOutput(handlers);
  }

  static async open(client: KubeClient, o: PersistentShellOptions, handlers: PersistentShellHandlers): Promise<PersistentShell> {
    const shell = new PersistentShell(handlers);
    shell.parser.offset = o.since;
    const argv = shellPlan(o.shell).attempts[0];
    if (o.place.startFirst) {
      const started = await execCollect(client, {
        namespace: o.namespace,
        pod: o.pod,
        container: o.container,
        command: startArgv(o.place, o.id, argv),
        timeoutMs: 20_000,
        signal: o.signal,
      });
      if (started.result.kind !== 'exited' || started.result.code !== 0) {
        throw new Error(`starting the terminal session failed: ${failure(started.result, started.stderr.toString('utf8'))}`);
      }
    }
    shell.exec = await ExecSession.open(
      client,
      {
        namespace: o.namespace,
        pod: o.pod,
        container: o.container,
        command: attachArgv(o.place, o.id, o.since, argv),
        tty: true,
        stdin: true,
        size: o.size,
        pingMs: o.pingMs,
        deadAfterMs: o.deadAfterMs,
        connectTimeoutMs: o.connectTimeoutMs,
        signal: o.signal,
      },
      { stdout: (d) => shell.onOutput(d), stderr: (d) => shell.onOutput(d), end: (r) => shell.onEnd(r) },
    );
    if (shell.out.closedByUs) shell.exec.close();
    return shell;
  }

  get protocol(): string | undefined {
    return this.exec?.protocol;
  }

  get isOpen(): boolean {
    return !this.out.ended && !!this.exec?.isOpen;
  }

  /** The holder's byte offset of the next output: what a reattach passes as `since`. */
  get offset(): number {
    return this.parser.offset;
  }

  write(data: string): void {
    this.exec?.write(data);
  }

  resize(cols: number, rows: number): void {
    this.exec?.resize(cols, rows);
  }

  close(): void {
    this.out.close(this.exec);
  }

  terminate(): void {
    this.exec?.terminate();
  }

  private onOutput(chunk: Buffer): void {
    const { data, events } = this.parser.push(chunk);
    for (const e of events) {
      if (e.event === 'bumped') this.bumped = true;
      if (e.event === 'error') this.failure = e.message;
      this.handlers.event(e);
    }
    this.out.push(data);
  }

  private onEnd(r: ExecResult): void {
    if (this.out.closedByUs) return this.out.end({ kind: 'closed' });
    if (this.failure) return this.out.end({ kind: 'failed', message: `the session helper: ${this.failure}` });
    if (this.bumped) return this.out.end({ kind: 'closed' });
    this.out.end(shellEnding(r, this.out.head, shellPlan(undefined).tried));
  }
}
