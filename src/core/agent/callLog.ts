import type { ToolErrorCode } from './result';

/** One tool call as the person sees it afterwards: never file contents, command text or env values. */
export interface ToolCall {
  at: number;
  tool: string;
  context: string;
  namespace?: string;
  sandbox?: string;
  durationMs: number;
  outcome: 'ok' | ToolErrorCode;
  exitCode?: number;
}

export function describeCall(c: ToolCall): string {
  const where = c.sandbox ? ` ${c.namespace ? `${c.namespace}/` : ''}${c.sandbox}` : c.namespace ? ` in ${c.namespace}` : '';
  const exit = c.exitCode !== undefined ? ` exit ${c.exitCode}` : '';
  return `agent tool ${c.tool}${where}: ${c.outcome}${exit} in ${c.durationMs} ms`;
}

/** The most recent calls (a bounded ring), for "Show Agent Activity". */
export class ToolCallLog {
  private readonly calls: ToolCall[] = [];
  private readonly listeners = new Set<(c: ToolCall) => void>();

  constructor(private readonly max = 200) {}

  add(c: ToolCall): void {
    this.calls.push(c);
    if (this.calls.length > this.max) this.calls.splice(0, this.calls.length - this.max);
    for (const l of this.listeners) l(c);
  }

  /** Newest first. */
  recent(): ToolCall[] {
    return [...this.calls].reverse();
  }

  onDidAdd(l: (c: ToolCall) => void): { dispose(): void } {
    this.listeners.add(l);
    return { dispose: () => this.listeners.delete(l) };
  }
}
