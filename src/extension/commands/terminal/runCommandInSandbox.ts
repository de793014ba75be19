import * as vscode from 'vscode';
import { describeError } from '../../../core/k8s/errors';
import { podName, sandboxState } from '../../../core/model/sandbox';
import { openTerminals, sandboxPty, terminalIcon, terminalTarget } from '../../terminal/openTerminal';
import { RunPty } from '../../terminal/runPty';
import { terminalName } from '../../terminal/sandboxPty';
import {
  CommandContext,
  isResourceNode,
  pickSandboxes,
  ReadySession,
  register,
  requireReady,
  sandboxOf,
  SandboxRef,
  selectedNodes,
  UserError,
} from '../support';

export const TERMINAL_PROFILE_ID = 'agentSandbox.terminalProfile';

/** Open Terminal, Run Command in Sandbox…, and the "Agent Sandbox" terminal profile. */
export function registerTerminalCommands(ctx: CommandContext): vscode.Disposable[] {
  let lastCommand = '';
  return [
    register(ctx, 'agentSandbox.openTerminal', async (arg, selection) => {
      const nodes = selectedNodes(arg, selection);
      const refs = nodes.length ? undefined : await pickOne(ctx, 'Open a terminal in sandbox');
      const ready = requireReady(ctx);
      await openTerminals(ctx, refs ?? nodes.map((n) => sandboxOfNode(ready, n)));
    }),
    register(ctx, 'agentSandbox.runCommand', async (arg) => {
      const ready = requireReady(ctx);
      const ref = isResourceNode(arg) ? sandboxOfNode(ready, arg) : (await pickOne(ctx, 'Run a command in sandbox'))?.[0];
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
    }),
    vscode.window.registerTerminalProfileProvider(TERMINAL_PROFILE_ID, {
      provideTerminalProfile: async () => {
        try {
          const ready = requireReady(ctx);
          const ref = (await pickOne(ctx, 'Open a terminal in sandbox'))?.[0];
          const t = ref && (await terminalTarget(ctx, ready, ref));
          if (!t) return undefined;
          return new vscode.TerminalProfile({ name: terminalName(t), pty: sandboxPty(ctx, ready, t), iconPath: terminalIcon(), isTransient: true });
        } catch (err) {
          ctx.log.error(`terminal profile: ${describeError(err)}`);
          throw err;
        }
      },
    }),
  ];
}

function sandboxOfNode(ready: ReadySession, node: Parameters<typeof sandboxOf>[0]): SandboxRef {
  // A node from before a context switch must not open a shell on the new context's cluster.
  if (node.context !== ready.session.context) throw new UserError(`${node.name} belongs to context ${node.context}, which is no longer active.`);
  return sandboxOf(node, ready.model);
}

async function pickOne(ctx: CommandContext, title: string): Promise<SandboxRef[] | undefined> {
  const { model } = requireReady(ctx);
  const picked = await pickSandboxes(model, title, ['Running', 'Starting', 'Hibernated', 'Hibernating'], false);
  return picked.length ? picked : undefined;
}
