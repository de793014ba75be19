import * as vscode from 'vscode';
import { ExecSession } from '../../core/exec/execSession';
import type { ExecResult } from '../../core/exec/status';
import { Utf8Stream } from '../../core/exec/utf8';
import type { KubeClient } from '../../core/k8s/client';
import { describeError } from '../../core/k8s/errors';
import type { Logger } from '../../core/logging/logger';
import type { ActivityTracker } from '../../core/finops/activity';

export interface RunTarget {
  context: string;
  namespace: string;
  sandbox: string;
  pod: string;
  container?: string | undefined;
  /** What the user typed; run as `sh -c <commandLine>` (their own shell command, by design). */
  commandLine: string;
}

const CSI = '\x1b[';

/** Non-TTY output uses bare \n; a terminal needs \r\n to return to column 0. */
function crlf(text: string): string {
  return text.replace(/\r?\n/g, '\r\n');
}

/**
 * Run Command in Sandbox: one non-interactive exec streamed into a terminal, stderr in red, and
 * the exit code from the status channel reported in the terminal and as a notification.
 */
export class RunPty implements vscode.Pseudoterminal {
  private readonly writeEmitter = new vscode.EventEmitter<string>();
  private readonly closeEmitter = new vscode.EventEmitter<number | void>();
  readonly onDidWrite = this.writeEmitter.event;
  readonly onDidClose = this.closeEmitter.event;
  private exec: ExecSession | undefined;
  private done = false;
  private cancelled = false;
  private readonly out = new Utf8Stream();
  private readonly err = new Utf8Stream();
  /** A running command keeps the sandbox from auto-hibernating, however quiet it is. */
  private held: { dispose(): void } | undefined;

  constructor(
    private readonly client: KubeClient,
    private readonly target: RunTarget,
    private readonly log: Logger,
    private readonly activity?: Pick<ActivityTracker, 'touch' | 'hold'>,
  ) {}

  open(): void {
    const t = this.target;
    this.write(`${CSI}2m$ ${t.commandLine}   (${t.sandbox} · ${t.namespace} · ${t.context}; Ctrl+C stops)${CSI}0m\r\n`);
    this.held = this.activity?.hold(t, 'command');
    ExecSession.open(
      this.client,
      { namespace: t.namespace, pod: t.pod, container: t.container, command: ['sh', '-c', t.commandLine], tty: false, stdin: false },
      {
        stdout: (d) => {
          this.activity?.touch(t, 'terminal-output');
          this.write(crlf(this.out.decode(d)));
        },
        stderr: (d) => {
          this.activity?.touch(t, 'terminal-output');
          this.write(`${CSI}31m${crlf(this.err.decode(d))}${CSI}0m`);
        },
        end: (r) => this.finish(r),
      },
    ).then(
      (exec) => {
        this.exec = exec;
        if (this.done) exec.close();
      },
      (e: unknown) => this.finish({ kind: 'failed', message: describeError(e) }),
    );
  }

  handleInput(data: string): void {
    if (!this.done && data === '\x03') {
      // A non-TTY exec has no signal channel: dropping the stream is all a client can do.
      this.cancelled = true;
      this.exec?.close();
    } else if (this.done) {
      this.closeEmitter.fire();
    }
  }

  close(): void {
    this.done = true;
    this.held?.dispose();
    this.exec?.close();
    this.writeEmitter.dispose();
    this.closeEmitter.dispose();
  }

  private write(text: string): void {
    if (text) this.writeEmitter.fire(text);
  }

  private finish(r: ExecResult): void {
    if (this.done) return;
    this.done = true;
    this.held?.dispose();
    this.write(crlf(this.out.end() + this.err.end()));
    const t = this.target;
    const summary = this.cancelled
      ? 'Stopped by you (the command may still run in the sandbox)'
      : r.kind === 'exited'
        ? `Exit code ${r.code}`
        : r.kind === 'lost'
          ? `Connection lost: ${r.message}`
          : `Failed: ${r.message}`;
    const color = r.kind === 'exited' && r.code === 0 ? '32' : '33';
    this.write(`\r\n${CSI}${color}m[${summary}]${CSI}0m\r\n${CSI}2mPress any key to close.${CSI}0m\r\n`);
    this.log.info(`run in ${t.namespace}/${t.sandbox} (${t.context}): ${JSON.stringify(t.commandLine)} → ${summary}`);
    if (this.cancelled) return;
    const label = `"${t.commandLine.length > 40 ? `${t.commandLine.slice(0, 39)}…` : t.commandLine}" in ${t.sandbox}`;
    if (r.kind === 'exited' && r.code === 0) void vscode.window.showInformationMessage(`${label} finished (exit code 0).`);
    else void vscode.window.showWarningMessage(`${label}: ${summary}.`);
  }
}
