import * as vscode from 'vscode';
import type { ToolCallLog } from '../../../core/agent/callLog';
import { describeCall } from '../../../core/agent/callLog';
import type { CommandContext } from '../support';

/** Show Agent Activity: the recent tool calls of agents in this window; one picked is written to the log. */
export async function showAgentActivity(ctx: CommandContext, calls: ToolCallLog): Promise<void> {
  const recent = calls.recent();
  ctx.log.info(`agent activity: ${recent.length} recent tool call${recent.length === 1 ? '' : 's'}`);
  if (!recent.length) {
    void vscode.window.showInformationMessage('No agent has used a sandbox tool in this window yet.');
    return;
  }
  const items = recent.map((c) => ({
    label: `$(${c.outcome === 'ok' ? 'pass' : 'error'}) ${c.tool}`,
    description: [c.sandbox ?? c.namespace ?? '', c.exitCode !== undefined ? `exit ${c.exitCode}` : c.outcome === 'ok' ? '' : c.outcome, `${c.durationMs} ms`]
      .filter(Boolean)
      .join(' · '),
    detail: `${new Date(c.at).toLocaleTimeString()} · ${c.context}`,
    call: c,
  }));
  const picked = await vscode.window.showQuickPick(items, {
    title: `Agent activity (${recent.length} recent tool calls)`,
    placeHolder: 'Pick a call to show it in the log',
    matchOnDescription: true,
  });
  if (picked) {
    ctx.log.info(describeCall(picked.call));
    ctx.log.show(true);
  }
}
