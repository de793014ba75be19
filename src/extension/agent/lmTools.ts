import * as vscode from 'vscode';
import type { AgentTools } from '../../core/agent/agentTools';
import { renderResult } from '../../core/agent/result';
import { lmToolName, TOOLS } from '../../core/agent/tools';

/** Registers every agent tool with VS Code's language-model tool registry (names agentSandbox_*). */
export function registerLanguageModelTools(tools: AgentTools): vscode.Disposable[] {
  return TOOLS.map((def) =>
    vscode.lm.registerTool<unknown>(lmToolName(def.name), {
      async prepareInvocation(options) {
        const p = await tools.prepare(def.name, options.input);
        if (p.decision.action !== 'confirm') return { invocationMessage: p.message };
        return {
          invocationMessage: p.message,
          confirmationMessages: { title: `${def.displayName}?`, message: new vscode.MarkdownString(p.detail ?? p.message) },
        };
      },
      async invoke(options, token) {
        const abort = new AbortController();
        const sub = token.onCancellationRequested(() => abort.abort());
        try {
          const result = await tools.invoke(def.name, options.input, { signal: abort.signal });
          return new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(renderResult(result))]);
        } finally {
          sub.dispose();
        }
      },
    }),
  );
}
