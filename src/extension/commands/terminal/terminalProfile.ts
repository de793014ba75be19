import * as vscode from 'vscode';
import { describeError } from '../../../core/k8s/errors';
import { sandboxPty, terminalIcon, terminalTarget } from '../../terminal/openTerminal';
import { terminalName } from '../../terminal/sandboxPty';
import { CommandContext, requireReady } from '../support';
import { pickTerminalSandbox } from './terminalPick';

export const TERMINAL_PROFILE_ID = 'agentSandbox.terminalProfile';

/** The "Agent Sandbox" terminal profile (the terminal panel's + menu): a shell in a sandbox picked. */
export function registerTerminalProfile(ctx: CommandContext): vscode.Disposable {
  return vscode.window.registerTerminalProfileProvider(TERMINAL_PROFILE_ID, {
    provideTerminalProfile: async () => {
      try {
        const ready = requireReady(ctx);
        const ref = (await pickTerminalSandbox(ctx, 'Open a terminal in sandbox'))?.[0];
        const t = ref && (await terminalTarget(ctx, ready, ref));
        if (!t) return undefined;
        return new vscode.TerminalProfile({ name: terminalName(t), pty: sandboxPty(ctx, ready, t), iconPath: terminalIcon(), isTransient: true });
      } catch (err) {
        ctx.log.error(`terminal profile: ${describeError(err)}`);
        throw err;
      }
    },
  });
}
