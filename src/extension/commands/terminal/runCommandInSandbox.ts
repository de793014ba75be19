import * as vscode from 'vscode';
import { podName, sandboxState } from '../../../core/model/sandbox';
import type { ResourceNode } from '../../../core/tree/nodes';
import { terminalTarget } from '../../terminal/openTerminal';
import { RunPty } from '../../terminal/runPty';
import { CommandContext, requireReady, UserError } from '../support';
import { pickTerminalSandbox, terminalSandboxOf } from './terminalPick';

/**
 * Run Command in Sandbox…: in the clicked sandbox (a claim: its sandbox), else in one picked; the
 * output streams to a terminal. The handler remembers the last command line for this window.
 */
export function runCommandInSandbox(ctx: CommandContext): (node?: ResourceNode) => Promise<void> {
  let lastCommand = '';
  return async (node) => {
    const ready = requireReady(ctx);
    const ref = node ? terminalSandboxOf(ready, node) : (await pickTerminalSandbox(ctx, 'Run a command in sandbox'))?.[0];
    if (!ref) return;
    const t = await terminalTarget(ctx, ready, ref);
    if (!t) return;
    const commandLine = await vscode.window.showInputBox({
      title: `Run Command in ${t.sandbox}`,
      prompt: `Runs as sh -c "…" in ${t.container ? `container ${t.container}` : 'the main container'}; output streams to a terminal.`,
      placeHolder: 'e.g. python -V && ls -la',
      value: lastCommand,
      ignoreFocusOut: true,
      validateInput: (v) => (v.trim() ? undefined : 'Enter a command'),
    });
    if (!commandLine?.trim()) return;
    lastCommand = commandLine;
    const sb = await ready.ops.get('Sandbox', t.namespace, t.sandbox);
    const state = sandboxState(sb);
    const pod = podName(sb);
    if (state !== 'Running' || !pod)
      throw new UserError(
        state === 'Hibernated' || state === 'Hibernating'
          ? `${t.sandbox} is hibernated; resume it first.`
          : `${t.sandbox} is ${state.toLowerCase()}, not running.`,
      );
    const pty = new RunPty(ready.session.client, { ...t, pod, commandLine }, ctx.log, ctx.activity);
    const short = commandLine.length > 30 ? `${commandLine.slice(0, 29)}…` : commandLine;
    vscode.window.createTerminal({ name: `Run: ${short} · ${t.sandbox}`, pty, iconPath: new vscode.ThemeIcon('run'), isTransient: true }).show();
  };
}
