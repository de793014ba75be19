import * as vscode from 'vscode';
import { TerminalDeps, TerminalFlow, TerminalTarget } from '../../core/terminal/terminalFlow';

/** The VS Code Pseudoterminal for a sandbox shell; all behaviour lives in TerminalFlow. */
export class SandboxPty implements vscode.Pseudoterminal {
  private readonly writeEmitter = new vscode.EventEmitter<string>();
  private readonly closeEmitter = new vscode.EventEmitter<number | void>();
  readonly onDidWrite = this.writeEmitter.event;
  readonly onDidClose = this.closeEmitter.event;
  private readonly flow: TerminalFlow;

  constructor(target: TerminalTarget, deps: TerminalDeps) {
    this.flow = new TerminalFlow(target, deps, {
      write: (text) => this.writeEmitter.fire(text),
      close: () => this.closeEmitter.fire(),
    });
  }

  open(initialDimensions: vscode.TerminalDimensions | undefined): void {
    this.flow.start(initialDimensions ? { cols: initialDimensions.columns, rows: initialDimensions.rows } : undefined);
  }

  handleInput(data: string): void {
    this.flow.input(data);
  }

  setDimensions(d: vscode.TerminalDimensions): void {
    this.flow.resize(d.columns, d.rows);
  }

  close(): void {
    this.flow.dispose();
    this.writeEmitter.dispose();
    this.closeEmitter.dispose();
  }
}

/** "sandbox · namespace · context", with the container when one was chosen (multi-container pods). */
export function terminalName(t: TerminalTarget): string {
  return `${t.sandbox}${t.container ? `/${t.container}` : ''} · ${t.namespace} · ${t.context}`;
}
